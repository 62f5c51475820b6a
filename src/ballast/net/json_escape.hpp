#pragma once
// JSON string quoting for hand-built JSON (error bodies, small DTOs). json_quote returns the text as a
// JSON string literal including the surrounding quotes; quotes, backslashes and control characters are
// escaped (\" \\ \b \f \n \r \t, other C0 controls and DEL as \u00XX). Bytes >= 0x80 pass through
// unchanged, so valid UTF-8 stays valid UTF-8.

#include <string>
#include <string_view>

namespace ballast::net {

std::string json_quote(std::string_view text);
// Appends the quoted form of `text` to `out` (avoids a temporary when building larger documents).
void append_json_quoted(std::string& out, std::string_view text);

}  // namespace ballast::net
