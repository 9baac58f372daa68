#pragma once
/// Database connection strings as libpq reads them, for showing them without their secrets.
#include <string>
#include <string_view>

namespace wfa {

/// masked_conninfo is TEXT (a postgresql:// URI or key=value string) rebuilt from libpq's own parse with every
/// password and sslpassword shown as ***, in the form it was given; a string libpq cannot parse is shown only as
/// "(a connection string libpq cannot read)", since where its secret ends is unknown.
std::string masked_conninfo(std::string_view text);

}  // namespace wfa
