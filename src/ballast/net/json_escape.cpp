#include "ballast/net/json_escape.hpp"

namespace ballast::net {
namespace {

// Bytes that are written as they are: everything but the quote, the backslash, C0 controls and DEL.
constexpr bool plain(unsigned char byte) noexcept { return byte >= 0x20 && byte != '"' && byte != '\\' && byte != 0x7f; }

}  // namespace

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  // Runs of plain bytes are appended at once; ids, decimals and times are one run.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (plain(byte)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (text[i]) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0f]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quoted(out, text);
  return out;
}

}  // namespace ballast::net
