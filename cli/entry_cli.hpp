#pragma once
/// wfa_main is the whole program: parse, build the Context, run, render, map errors to exit codes.
#include <iosfwd>

namespace wfa {

int wfa_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err, std::istream& in);

}  // namespace wfa
