#pragma once
// Private to the data module: the byte-level machinery shared by every CSV reader and writer.
//
// Readers load the whole file into one buffer, walk it line by line with memchr, split each line into
// string_views (no std::string per field) and parse numbers with a hand-written fast path for the common
// plain forms ("-12.345", "1704067200000"); anything unusual falls back to core::Decimal::parse or
// core::parse_timestamp, which also supply the error wording. Line numbers are 1-based physical lines.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ballast/core/decimal.hpp"
#include "ballast/core/error.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

namespace ballast::data::internal {

// The bytes of a whole file. Large regular files are memory-mapped read-only (no copy out of the page
// cache); small ones are read into a buffer. A mapped file that another process truncates while it is
// being parsed raises SIGBUS, as with any memory-mapped reader.
class FileText {
 public:
  FileText() = default;
  ~FileText();
  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;

  static FileText from_buffer(std::unique_ptr<char[]> data, std::size_t size);
  static FileText from_mapping(void* address, std::size_t size);

  std::string_view view() const noexcept { return {data_, size_}; }

 private:
  void release() noexcept;

  std::unique_ptr<char[]> buffer_;
  void* mapping_ = nullptr;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

core::Result<FileText> load_file(const std::filesystem::path& path);

// A generous upper estimate of the number of lines, for reserving: the size over two thirds of the
// shortest of the first non-blank lines. Over-reserving costs only address space (untouched pages are
// never faulted in); an underestimate would cost a reallocation, so the estimate errs high.
std::size_t estimate_rows(std::string_view text) noexcept;

// Asks the kernel to back a large, freshly reserved and not yet touched buffer (a std::vector of
// millions of bars) with huge pages, which saves most of the page faults of filling it. Advice only:
// ignored where unsupported.
void advise_huge_pages(const void* data, std::size_t bytes) noexcept;
core::Status save_file(const std::filesystem::path& path, std::string_view content);

// "source:line", the `where` of every row-level error.
std::string line_location(std::string_view source, std::size_t line);
core::Error line_error(core::ErrorCode code, std::string_view source, std::size_t line, std::string message);

// Walks physical lines. Each line comes without its '\n' and without a trailing '\r'. A UTF-8 byte-order
// mark at the very start is skipped.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text);
  // False at the end of the text. line_number() is then the number of the line just returned.
  bool next(std::string_view& line) noexcept;
  std::size_t line_number() const noexcept { return line_number_; }

 private:
  const char* pos_;
  const char* end_;
  std::size_t line_number_ = 0;
};

// True for a line that is empty or only spaces and tabs.
bool is_blank(std::string_view line) noexcept;

// The fields of one line. Up to kMaxFields are kept; count() reports all of them so a wrong column count
// can still be named. Fields are trimmed of spaces; a field that starts with '"' runs to the closing quote
// (which may enclose the delimiter) and is returned without the quotes.
class FieldSplitter {
 public:
  static constexpr std::size_t kMaxFields = 64;

  void split(std::string_view line, char delimiter) noexcept;
  std::size_t count() const noexcept { return count_; }
  std::string_view operator[](std::size_t i) const noexcept { return fields_[i]; }

 private:
  std::array<std::string_view, kMaxFields> fields_{};
  std::size_t count_ = 0;
};

// The most frequent of ',', ';' and '\t' outside quotes in `line`; ',' when none occurs.
char detect_delimiter(std::string_view line) noexcept;

// True when text starts with an ASCII letter (header cells do, data cells never do).
bool starts_with_letter(std::string_view text) noexcept;
// "HH:MM" or "HH:MM:SS…": the second field of a date,time layout.
bool looks_like_time_of_day(std::string_view text) noexcept;
// Lower-case, spaces and '-' turned into '_': "Adj Close" → "adj_close".
std::string normalise_column_name(std::string_view text);
// `text` equals `lower` (written in lower case) ignoring the case of ASCII letters: a side or kind cell.
bool equals_ignore_case(std::string_view text, std::string_view lower) noexcept;

// Decimal from text: a fast path for [+-]digits[.digits] with at most 18 digits, else Decimal::parse.
// Returns false on malformed text; parse_decimal_or_error() then gives the reason.
bool parse_decimal(std::string_view text, core::Decimal& out);
core::Result<core::Decimal> parse_decimal_or_error(std::string_view text);
// Why parse_decimal() refused `text`, for an error message ("number out of range" when only the fast path
// refused it).
std::string decimal_error(std::string_view text);

// Non-negative or negative integer without sign noise ("123", "-5"); false otherwise or on overflow.
bool parse_int64(std::string_view text, std::int64_t& out) noexcept;

// A timestamp cell: an epoch integer (in `unit` when given, else inferred from its magnitude as
// core::infer_epoch_unit does) or any ISO-8601 form core::parse_timestamp accepts.
bool parse_timestamp_fast(std::string_view text, std::optional<core::EpochUnit> unit, core::UnixNanos& out);
core::Result<core::UnixNanos> parse_timestamp_or_error(std::string_view text, std::optional<core::EpochUnit> unit);

// The first inconsistency of a bar row as a message ("high 99 is below low 100", "open 101 is outside
// [low 99, high 100]", "volume -5 is negative"); empty when the row is consistent.
std::string bar_row_violation(const core::Decimal& open, const core::Decimal& high, const core::Decimal& low,
                              const core::Decimal& close, const core::Decimal& volume);
// "timestamp T is not after P on line L: …" for bars (strict) and ticks (non-decreasing).
std::string time_order_violation(core::UnixNanos current, core::UnixNanos previous, std::size_t previous_line,
                                 bool strict);

// Appends for writers: decimals with exactly their scale ("3602.00"), integers, ISO-8601 timestamps.
void append_decimal(std::string& out, const core::Decimal& value);
void append_int(std::string& out, std::int64_t value);
// Epoch value of t in `unit`; false when t is not a whole number of that unit.
bool to_epoch(core::UnixNanos t, core::EpochUnit unit, std::int64_t& out) noexcept;
std::string_view to_string(core::EpochUnit unit) noexcept;

}  // namespace ballast::data::internal
