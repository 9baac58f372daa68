# Every dependency comes from a Debian 12 package; nothing is vendored or downloaded.
find_package(Threads REQUIRED)
find_package(CLI11 2.1 REQUIRED CONFIG)
find_package(nlohmann_json 3.11 REQUIRED CONFIG)
find_package(fmt 9 REQUIRED CONFIG)
find_package(OpenSSL 3 REQUIRED)
find_package(ZLIB 1.2 REQUIRED)       # PDF stream compression
find_package(OpenCV 4.6 REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(JPEG REQUIRED)        # libjpeg-turbo: mockup decode/encode without OpenCV's imgcodecs
find_package(PNG REQUIRED)
find_package(Boost 1.74 REQUIRED)   # Boost.Beast/Asio (header-only) for `wfa serve`
find_package(CURL 7.80 REQUIRED)  # the URL API (curl_url) for every URL a user gives
find_package(simdjson 3 REQUIRED CONFIG)  # call-log ingest: on-demand parsing, no DOM per call
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx>=6.4)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)  # Unicode character widths for tables
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)  # internationalised host names (UTS #46)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)  # the config file (compiled library, not header-only)
pkg_check_modules(EXIF REQUIRED IMPORTED_TARGET libexif)  # photo orientation
pkg_check_modules(HARFBUZZ REQUIRED IMPORTED_TARGET harfbuzz>=6)  # text shaping: Arabic joining, marks, kerning
pkg_check_modules(FRIBIDI REQUIRED IMPORTED_TARGET fribidi>=1.0)  # the Unicode bidirectional algorithm
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)  # fallback fonts for characters a layout font lacks
pkg_check_modules(ICU_I18N REQUIRED IMPORTED_TARGET icu-i18n)  # time zones (tzdata) for calling windows
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0>=3.2)  # MIME messages: parts, RFC 2047 headers
# libphonenumber ships no CMake or pkg-config file: its header and library are found directly.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(wfa::phonenumber INTERFACE IMPORTED)
set_target_properties(wfa::phonenumber PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${PHONENUMBER_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${PHONENUMBER_LIBRARY}")
add_library(wfa::pqxx ALIAS PkgConfig::PQXX)
add_library(wfa::pq ALIAS PkgConfig::PQ)
add_library(wfa::xlsxwriter ALIAS PkgConfig::XLSXWRITER)
add_library(wfa::utf8proc ALIAS PkgConfig::UTF8PROC)
add_library(wfa::idn2 ALIAS PkgConfig::IDN2)
add_library(wfa::tomlplusplus ALIAS PkgConfig::TOMLPP)
add_library(wfa::exif ALIAS PkgConfig::EXIF)
add_library(wfa::harfbuzz ALIAS PkgConfig::HARFBUZZ)
add_library(wfa::fribidi ALIAS PkgConfig::FRIBIDI)
add_library(wfa::fontconfig ALIAS PkgConfig::FONTCONFIG)
add_library(wfa::icu_i18n ALIAS PkgConfig::ICU_I18N)
add_library(wfa::gmime ALIAS PkgConfig::GMIME)

if(WFA_BUILD_TESTS)
  find_package(GTest 1.12 REQUIRED CONFIG)
endif()
