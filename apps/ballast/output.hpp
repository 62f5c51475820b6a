#pragma once
// Tabular output for every CLI command that prints data: --format table|json|csv.
//  - table: aligned columns for people (numbers right-aligned);
//  - json:  an array of objects, numbers as JSON numbers (exact decimals are emitted as numbers
//           from their decimal text, never via double), keyed by column name;
//  - csv:   RFC 4180 (a header row, fields quoted when they contain a comma, quote or newline).

#include <cstdint>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::cli {

enum class OutputFormat { Table, Json, Csv };

core::Result<OutputFormat> parse_output_format(std::string_view text);

// A cell is text, an integer, a double (printed with `precision` digits after the point in tables, or
// with -precision significant digits when precision < 0) or an exact decimal.
struct Cell {
  std::variant<std::string, std::int64_t, double, core::Decimal> value;
  int precision = 6;

  Cell(std::string s) : value(std::move(s)) {}                     // NOLINT
  Cell(const char* s) : value(std::string(s)) {}                   // NOLINT
  Cell(std::int64_t v) : value(v) {}                               // NOLINT
  Cell(int v) : value(static_cast<std::int64_t>(v)) {}             // NOLINT
  Cell(std::size_t v) : value(static_cast<std::int64_t>(v)) {}     // NOLINT
  Cell(double v, int digits = 6) : value(v), precision(digits) {}  // NOLINT
  Cell(core::Decimal d) : value(d) {}                              // NOLINT

  bool is_numeric() const { return value.index() != 0; }
  std::string text() const;
};

struct Table {
  std::string title;  // printed above a table in table format only
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;

  void add_row(std::vector<Cell> row);
};

void print(const Table& table, OutputFormat format, std::ostream& out);
// Several tables: table format prints them one after another; json prints an object keyed by title;
// csv prints them separated by a blank line.
void print(const std::vector<Table>& tables, OutputFormat format, std::ostream& out);

}  // namespace ballast::cli
