#include "output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace ballast::cli {

core::Result<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "table") return OutputFormat::Table;
  if (text == "json") return OutputFormat::Json;
  if (text == "csv") return OutputFormat::Csv;
  return core::Error(core::ErrorCode::InvalidArgument,
                     fmt::format("unknown format '{}' (use table, json or csv)", text), "--format");
}

std::string Cell::text() const {
  return std::visit(
      [this](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isnan(v)) return "nan";
          if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
          std::string text = precision < 0 ? fmt::format("{:.{}g}", v, -precision) : fmt::format("{:.{}f}", v, precision);
          // A value that rounds to zero prints as 0, never "-0.00" (a short's zero move, −0 from a product).
          if (text.starts_with('-') && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
          return text;
        } else {
          return v.to_string();
        }
      },
      value);
}

void Table::add_row(std::vector<Cell> row) {
  BALLAST_REQUIRE(row.size() == columns.size(),
                  fmt::format("table '{}' row has {} cells for {} columns", title, row.size(), columns.size()));
  rows.push_back(std::move(row));
}

namespace {

nlohmann::json to_json(const Cell& c) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(v)) return nullptr;  // JSON has no NaN/inf
          return v == 0.0 ? 0.0 : v;              // −0 as 0
        } else if constexpr (std::is_same_v<T, core::Decimal>) {
          // Parse the exact decimal text as a JSON number so no binary rounding is introduced in the text.
          return nlohmann::json::parse(v.to_string_trimmed());
        } else {
          return v;
        }
      },
      c.value);
}

nlohmann::json table_json(const Table& t) {
  auto arr = nlohmann::json::array();
  for (const auto& row : t.rows) {
    nlohmann::json obj = nlohmann::json::object();
    for (std::size_t i = 0; i < t.columns.size(); ++i) obj[t.columns[i]] = to_json(row[i]);
    arr.push_back(std::move(obj));
  }
  return arr;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void print_table(const Table& t, std::ostream& out) {
  if (!t.title.empty()) out << t.title << '\n';
  std::vector<std::size_t> width(t.columns.size());
  std::vector<std::vector<std::string>> texts;
  texts.reserve(t.rows.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) width[i] = t.columns[i].size();
  for (const auto& row : t.rows) {
    auto& r = texts.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      r.push_back(row[i].text());
      width[i] = std::max(width[i], r.back().size());
    }
  }
  const auto line = [&](const std::vector<std::string>& cells, const std::vector<Cell>* typed) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool right = typed != nullptr && (*typed)[i].is_numeric();
      out << (i == 0 ? "" : "  ") << (right ? fmt::format("{:>{}}", cells[i], width[i]) : fmt::format("{:<{}}", cells[i], width[i]));
    }
    out << '\n';
  };
  line(t.columns, nullptr);
  std::vector<std::string> rule;
  for (auto w : width) rule.emplace_back(w, '-');
  line(rule, nullptr);
  for (std::size_t r = 0; r < texts.size(); ++r) line(texts[r], &t.rows[r]);
}

void print_csv(const Table& t, std::ostream& out) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) out << (i ? "," : "") << csv_field(t.columns[i]);
  out << '\n';
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i].text());
    out << '\n';
  }
}

}  // namespace

void print(const Table& table, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::Table: print_table(table, out); break;
    case OutputFormat::Json: out << table_json(table).dump(2) << '\n'; break;
    case OutputFormat::Csv: print_csv(table, out); break;
  }
}

void print(const std::vector<Table>& tables, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::Json) {
    nlohmann::json obj = nlohmann::json::object();
    for (const auto& t : tables) obj[t.title] = table_json(t);
    out << obj.dump(2) << '\n';
    return;
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) out << '\n';
    print(tables[i], format, out);
  }
}

}  // namespace ballast::cli
