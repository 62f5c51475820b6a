#include "ballast/data/internal/csv_scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ballast::data::internal {
namespace {

std::int64_t nanos_per(core::EpochUnit unit) noexcept {
  switch (unit) {
    case core::EpochUnit::Seconds: return core::kNanosPerSecond;
    case core::EpochUnit::Millis: return core::kNanosPerMilli;
    case core::EpochUnit::Micros: return core::kNanosPerMicro;
    case core::EpochUnit::Nanos: return 1;
  }
  return 1;
}

core::Error io_error(std::string_view what, const std::filesystem::path& path) {
  return core::Error(core::ErrorCode::IoError,
                     fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno)), path.string());
}

// Closes a POSIX file descriptor on every path out of a function.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

FileText::~FileText() {
  release();
}

FileText::FileText(FileText&& other) noexcept
    : buffer_(std::move(other.buffer_)), mapping_(other.mapping_), data_(other.data_), size_(other.size_) {
  other.mapping_ = nullptr;
  other.data_ = nullptr;
  other.size_ = 0;
}

FileText& FileText::operator=(FileText&& other) noexcept {
  if (this != &other) {
    release();
    buffer_ = std::move(other.buffer_);
    mapping_ = other.mapping_;
    data_ = other.data_;
    size_ = other.size_;
    other.mapping_ = nullptr;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

FileText FileText::from_buffer(std::unique_ptr<char[]> data, std::size_t size) {
  FileText text;
  text.data_ = data.get();
  text.buffer_ = std::move(data);
  text.size_ = size;
  return text;
}

FileText FileText::from_mapping(void* address, std::size_t size) {
  FileText text;
  text.mapping_ = address;
  text.data_ = static_cast<const char*>(address);
  text.size_ = size;
  return text;
}

void FileText::release() noexcept {
  if (mapping_ != nullptr) ::munmap(mapping_, size_);
  mapping_ = nullptr;
  buffer_.reset();
  data_ = nullptr;
  size_ = 0;
}

core::Result<FileText> load_file(const std::filesystem::path& path) {
  // Below this size a plain read is as fast as setting up a mapping.
  constexpr std::size_t kMapThreshold = 1 << 20;
  FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("stat", path);
  if (!S_ISREG(st.st_mode)) {
    return core::Error(core::ErrorCode::IoError, fmt::format("'{}' is not a regular file", path.string()),
                       path.string());
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size >= kMapThreshold) {
    void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.get(), 0);
    if (address != MAP_FAILED) {
      ::madvise(address, size, MADV_SEQUENTIAL);
      return FileText::from_mapping(address, size);
    }
    // Fall through to reading (e.g. a file system without mmap support).
  }
  auto buffer = std::make_unique_for_overwrite<char[]>(size == 0 ? 1 : size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd.get(), buffer.get() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path);
    }
    if (n == 0) break;  // the file shrank while we read it: keep what is there
    done += static_cast<std::size_t>(n);
  }
  return FileText::from_buffer(std::move(buffer), done);
}

std::size_t estimate_rows(std::string_view text) noexcept {
  constexpr int kSample = 64;
  LineCursor lines(text);
  std::string_view line;
  std::size_t shortest = text.size();
  int seen = 0;
  while (seen < kSample && lines.next(line)) {
    if (line.empty() || is_blank(line)) continue;
    shortest = std::min(shortest, line.size() + 1);
    ++seen;
  }
  if (seen == 0) return 1;
  const std::size_t divisor = std::max<std::size_t>(1, shortest * 2 / 3);
  return text.size() / divisor + 16;
}

void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  if (bytes < 4 * kHugePage) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

core::Status save_file(const std::filesystem::path& path, std::string_view content) {
  FdGuard fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return io_error("create", path);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  return core::ok();
}

std::string line_location(std::string_view source, std::size_t line) {
  return fmt::format("{}:{}", source, line);
}

core::Error line_error(core::ErrorCode code, std::string_view source, std::size_t line, std::string message) {
  return core::Error(code, std::move(message), line_location(source, line));
}

LineCursor::LineCursor(std::string_view text) : pos_(text.data()), end_(text.data() + text.size()) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") pos_ += 3;
}

bool LineCursor::next(std::string_view& line) noexcept {
  if (pos_ >= end_) return false;
  const char* start = pos_;
  const auto* nl = static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(end_ - start)));
  const char* stop = nl != nullptr ? nl : end_;
  pos_ = nl != nullptr ? nl + 1 : end_;
  if (stop > start && stop[-1] == '\r') --stop;
  line = std::string_view(start, static_cast<std::size_t>(stop - start));
  ++line_number_;
  return true;
}

bool is_blank(std::string_view line) noexcept {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

void FieldSplitter::split(std::string_view line, char delimiter) noexcept {
  const char* p = line.data();
  const char* const end = p + line.size();
  std::size_t n = 0;
  while (true) {
    while (p < end && *p == ' ') ++p;
    const char* begin = p;
    const char* stop = nullptr;
    if (p < end && *p == '"') {
      begin = ++p;
      while (p < end && *p != '"') ++p;
      stop = p;
      // Anything between the closing quote and the delimiter is dropped.
      while (p < end && *p != delimiter) ++p;
    } else {
      while (p < end && *p != delimiter) ++p;
      stop = p;
      while (stop > begin && stop[-1] == ' ') --stop;
    }
    if (n < kMaxFields) fields_[n] = std::string_view(begin, static_cast<std::size_t>(stop - begin));
    ++n;
    if (p >= end) break;
    ++p;  // the delimiter
  }
  count_ = n;
}

char detect_delimiter(std::string_view line) noexcept {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

bool starts_with_letter(std::string_view text) noexcept {
  if (text.empty()) return false;
  const char c = text.front();
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool looks_like_time_of_day(std::string_view text) noexcept {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return text.size() >= 5 && digit(text[0]) && digit(text[1]) && text[2] == ':' && digit(text[3]) && digit(text[4]);
}

bool equals_ignore_case(std::string_view text, std::string_view lower) noexcept {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char x = text[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != lower[i]) return false;
  }
  return true;
}

std::string normalise_column_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == ' ' || c == '-') {
      out += '_';
    } else {
      out += c;
    }
  }
  return out;
}

bool parse_decimal(std::string_view text, core::Decimal& out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  std::uint64_t mantissa = 0;
  int digits = 0;
  int frac = -1;  // digits after the point; -1 until a point is seen
  for (; p < end; ++p) {
    const auto d = static_cast<unsigned>(*p - '0');
    if (d < 10) {
      mantissa = mantissa * 10 + d;
      ++digits;
      frac += frac >= 0 ? 1 : 0;
    } else if (*p == '.' && frac < 0) {
      frac = 0;
    } else {
      break;
    }
  }
  if (p == end && digits > 0 && digits <= 18) {
    const auto raw = static_cast<std::int64_t>(mantissa);
    out = core::Decimal::from_raw(negative ? -raw : raw, frac < 0 ? 0 : frac);
    return true;
  }
  // Exponents, more than 18 digits, stray characters: the exact general parser decides.
  auto slow = core::Decimal::parse(text);
  if (!slow) return false;
  out = *slow;
  return true;
}

core::Result<core::Decimal> parse_decimal_or_error(std::string_view text) {
  return core::Decimal::parse(text);
}

std::string decimal_error(std::string_view text) {
  auto why = parse_decimal_or_error(text);
  return why ? std::string("number out of range") : why.error().message();
}

bool parse_int64(std::string_view text, std::int64_t& out) noexcept {
  const char* p = text.data();
  const char* const end = p + text.size();
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  if (p == end || end - p > 18) {
    if (p == end) return false;
    // 19 digits may still fit: let the careful conversion decide.
    std::int64_t v = 0;
    for (const char* q = p; q < end; ++q) {
      const auto d = static_cast<unsigned>(*q - '0');
      if (d >= 10) return false;
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, static_cast<std::int64_t>(d), &v))
        return false;
    }
    out = negative ? -v : v;
    return true;
  }
  std::int64_t v = 0;
  for (; p < end; ++p) {
    const auto d = static_cast<unsigned>(*p - '0');
    if (d >= 10) return false;
    v = v * 10 + static_cast<std::int64_t>(d);
  }
  out = negative ? -v : v;
  return true;
}

bool parse_timestamp_fast(std::string_view text, std::optional<core::EpochUnit> unit, core::UnixNanos& out) {
  std::int64_t v = 0;
  if (parse_int64(text, v)) {
    const core::EpochUnit u = unit ? *unit : core::infer_epoch_unit(v);
    std::int64_t ns = 0;
    if (__builtin_mul_overflow(v, nanos_per(u), &ns)) return false;
    out = core::UnixNanos(ns);
    return true;
  }
  auto parsed = core::parse_timestamp(text);
  if (!parsed) return false;
  out = *parsed;
  return true;
}

core::Result<core::UnixNanos> parse_timestamp_or_error(std::string_view text, std::optional<core::EpochUnit> unit) {
  std::int64_t v = 0;
  if (parse_int64(text, v)) return core::from_epoch(v, unit ? *unit : core::infer_epoch_unit(v));
  return core::parse_timestamp(text);
}

std::string bar_row_violation(const core::Decimal& open, const core::Decimal& high, const core::Decimal& low,
                              const core::Decimal& close, const core::Decimal& volume) {
  if (high < low) return fmt::format("high {} is below low {}", high.to_string(), low.to_string());
  if (open < low || open > high) {
    return fmt::format("open {} is outside [low {}, high {}]", open.to_string(), low.to_string(), high.to_string());
  }
  if (close < low || close > high) {
    return fmt::format("close {} is outside [low {}, high {}]", close.to_string(), low.to_string(), high.to_string());
  }
  if (volume.is_negative()) return fmt::format("volume {} is negative", volume.to_string());
  return {};
}

std::string time_order_violation(core::UnixNanos current, core::UnixNanos previous, std::size_t previous_line,
                                 bool strict) {
  if (strict) {
    return fmt::format("timestamp {} is not after {} on line {}: rows must be in strictly increasing time order",
                       core::format_iso8601(current), core::format_iso8601(previous), previous_line);
  }
  return fmt::format("timestamp {} is before {} on line {}: rows must be in non-decreasing time order",
                     core::format_iso8601(current), core::format_iso8601(previous), previous_line);
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  char* p = buf + sizeof(buf);
  const bool negative = value < 0;
  auto mag = negative ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
  do {
    *--p = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  if (negative) *--p = '-';
  out.append(p, static_cast<std::size_t>(buf + sizeof(buf) - p));
}

void append_decimal(std::string& out, const core::Decimal& value) {
  const int scale = value.scale();
  const std::int64_t raw = value.raw();
  if (scale == 0) {
    append_int(out, raw);
    return;
  }
  const bool negative = raw < 0;
  const auto mag = negative ? static_cast<std::uint64_t>(-(raw + 1)) + 1 : static_cast<std::uint64_t>(raw);
  const auto unit = static_cast<std::uint64_t>(core::pow10_i64(scale));
  if (negative) out += '-';
  append_int(out, static_cast<std::int64_t>(mag / unit));
  out += '.';
  std::uint64_t frac = mag % unit;
  char buf[20];
  for (int i = scale - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  out.append(buf, static_cast<std::size_t>(scale));
}

bool to_epoch(core::UnixNanos t, core::EpochUnit unit, std::int64_t& out) noexcept {
  const std::int64_t per = nanos_per(unit);
  if (t.value % per != 0) return false;
  out = t.value / per;
  return true;
}

std::string_view to_string(core::EpochUnit unit) noexcept {
  switch (unit) {
    case core::EpochUnit::Seconds: return "seconds";
    case core::EpochUnit::Millis: return "milliseconds";
    case core::EpochUnit::Micros: return "microseconds";
    case core::EpochUnit::Nanos: return "nanoseconds";
  }
  return "nanoseconds";
}

}  // namespace ballast::data::internal
