#include "pipelines/file_digest.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace wfa {

std::string sha256_file(const std::string& path, std::string_view suffix) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InvalidInputError("cannot open " + path + ": " + std::strerror(errno),
                            "check the file name and its permissions");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(md.get(), block.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InvalidInputError("cannot read " + path, "check the file");
  EVP_DigestUpdate(md.get(), suffix.data(), suffix.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(md.get(), digest, &len);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += hex[digest[i] >> 4], out += hex[digest[i] & 15];
  return out;
}

}  // namespace wfa
