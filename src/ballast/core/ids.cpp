#include "ballast/core/ids.hpp"

namespace ballast::core {

bool is_valid_identifier(std::string_view text) noexcept {
  if (text.empty() || text.size() > 128) return false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

InstrumentId::InstrumentId(std::string_view symbol, const VenueId& venue) {
  BALLAST_REQUIRE(is_valid_identifier(symbol), "instrument symbol is not a valid identifier: '" + std::string(symbol) + "'");
  BALLAST_REQUIRE(!venue.empty(), "instrument venue must be set");
  BALLAST_REQUIRE(venue.value().find('.') == std::string::npos, "venue may not contain '.': " + venue.value());
  value_.reserve(symbol.size() + 1 + venue.value().size());
  value_.append(symbol).append(".").append(venue.value());
  dot_ = symbol.size();
}

Result<InstrumentId> InstrumentId::parse(std::string_view text) {
  const auto dot = text.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) {
    return Error(ErrorCode::InvalidArgument,
                 "instrument id must be SYMBOL.VENUE (e.g. BTCUSDT.BINANCE), got '" + std::string(text) + "'");
  }
  const auto symbol = text.substr(0, dot);
  const auto venue = text.substr(dot + 1);
  if (!is_valid_identifier(symbol) || !is_valid_identifier(venue)) {
    return Error(ErrorCode::InvalidArgument, "instrument id has invalid characters: '" + std::string(text) + "'");
  }
  return InstrumentId(symbol, VenueId(std::string(venue)));
}

}  // namespace ballast::core
