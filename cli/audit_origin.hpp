#pragma once
/// The CLI's audit origin: where the changes of this process come from, for every audit_log row it writes.
#include <string>

namespace wfa {

class Config;

/// cli_origin is {"via": "cli", "host", "pid", "command": [argv with secrets masked], "operator"} as JSON text;
/// "operator" (who ran it) is there when --as names someone else. Masked: database URLs' passwords and the
/// invitation token of `invite accept`.
std::string cli_origin(int argc, const char* const* argv, const Config& settings);

}  // namespace wfa
