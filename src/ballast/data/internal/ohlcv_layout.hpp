#pragma once
// Private to the data module: OHLCV CSV layout detection, shared by the reader and detect_ohlcv_layout().

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/data/ohlcv_csv.hpp"

namespace ballast::data::internal {

// The layout plus the column names used in error messages.
struct DetectedLayout {
  OhlcvCsvLayout layout;
  std::vector<std::string> names;
  std::size_t header_line = 0;  // physical line of the header, 0 when none
};

// Reads the first two non-blank lines of `text`. An empty layout (columns == 0) when there are none.
core::Result<DetectedLayout> detect_layout(std::string_view text, std::string_view source, char delimiter);

// Names column i (0-based) for a message: "column 3 (High)".
std::string column_label(const DetectedLayout& d, int i);

}  // namespace ballast::data::internal
