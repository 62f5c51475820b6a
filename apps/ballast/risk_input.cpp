// Readers of the `ballast risk …` input files and the built-in instrument set (see risk_input.hpp).

#include "risk_input.hpp"

#include "ballast/model/reference_instruments.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <utility>

namespace ballast::cli {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using nlohmann::json;

class JsonReader {
 public:
  explicit JsonReader(std::string path) : path_(std::move(path)) {}

  Error error(const std::string& field, std::string message) const {
    return Error(ErrorCode::ParseError, std::move(message), field.empty() ? path_ : fmt::format("{}: {}", path_, field));
  }

  core::Result<json> parse(const std::string& text) const {
    try {
      return json::parse(text);
    } catch (const json::parse_error& e) {
      return Error(ErrorCode::ParseError, fmt::format("invalid JSON at byte {}: {}", e.byte, e.what()), path_);
    }
  }

  // A decimal from a JSON number (its shortest round-trip text) or a decimal string.
  core::Result<Decimal> decimal(const json& v, const std::string& field, std::string_view expect) const {
    std::string text;
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_number()) {
      text = v.dump();
    } else {
      return error(field, fmt::format("must be {}", expect));
    }
    auto d = Decimal::parse(text);
    if (!d) return error(field, fmt::format("must be {}, got '{}'", expect, text));
    return *d;
  }

  core::Result<Decimal> positive(const json& obj, const char* name, const std::string& prefix) const {
    const std::string field = prefix + name;
    if (!obj.contains(name)) return error(field, "required, a positive number");
    auto d = decimal(obj[name], field, "a positive number");
    if (!d) return d.error();
    if (!d->is_positive()) return error(field, fmt::format("must be positive, got {}", d->to_string_trimmed()));
    return d;
  }

  core::Result<model::Price> price(const json& obj, const char* name, const std::string& prefix) const {
    auto d = positive(obj, name, prefix);
    if (!d) return d.error();
    return model::Price(*d);
  }

  core::Result<std::string> string(const json& obj, const char* name, const std::string& prefix) const {
    if (!obj.contains(name) || !obj[name].is_string()) return error(prefix + name, "required, a string");
    return obj[name].get<std::string>();
  }

  core::Result<const model::Instrument*> instrument(const InstrumentSet& set, const json& obj,
                                                    const std::string& prefix) const {
    auto id = string(obj, "instrument", prefix);
    if (!id) return id.error();
    const model::Instrument* found = set.find(*id);
    if (found == nullptr) {
      return error(prefix + "instrument",
                   fmt::format("unknown instrument '{}' (built-in: BTCUSDT.BINANCE, ETHUSDT.BINANCE, SOLUSDT.BINANCE)", *id));
    }
    return found;
  }

  template <class E>
  core::Result<E> enumeration(const json& obj, const char* name, const std::string& prefix, E fallback) const {
    if (!obj.contains(name)) return fallback;
    if (!obj[name].is_string()) return error(prefix + name, "must be a string");
    auto v = model::parse<E>(obj[name].get<std::string>());
    if (!v) return error(prefix + name, v.error().message());
    return *v;
  }

  core::Result<bool> flag(const json& obj, const char* name, const std::string& prefix) const {
    if (!obj.contains(name)) return false;
    if (!obj[name].is_boolean()) return error(prefix + name, "must be true or false");
    return obj[name].get<bool>();
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

core::Status read_positions(const JsonReader& r, const json& doc, PortfolioInput& out) {
  if (!doc.contains("positions")) return core::ok();
  const json& list = doc["positions"];
  if (!list.is_array()) return r.error("positions", "must be an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& p = list[i];
    const std::string prefix = fmt::format("positions[{}].", i);
    if (!p.is_object()) return r.error(fmt::format("positions[{}]", i), "must be an object");
    PositionEntry e;
    auto instrument = r.instrument(out.instruments, p, prefix);
    if (!instrument) return instrument.error();
    e.instrument = *instrument;
    if (!p.contains("quantity")) return r.error(prefix + "quantity", "required, a number (negative for short)");
    auto q = r.decimal(p["quantity"], prefix + "quantity", "a number (negative for short)");
    if (!q) return q.error();
    if (q->is_zero()) return r.error(prefix + "quantity", "must not be 0");
    e.quantity = *q;
    auto entry = r.price(p, "entry_price", prefix);
    if (!entry) return entry.error();
    e.entry_price = *entry;
    if (p.contains("mark_price")) {
      auto mark = r.price(p, "mark_price", prefix);
      if (!mark) return mark.error();
      e.mark_price = *mark;
      out.marks[e.instrument->id().value()] = *mark;
    } else if (auto it = out.marks.find(e.instrument->id().value()); it != out.marks.end()) {
      e.mark_price = it->second;
    } else {
      return r.error(prefix + "mark_price", "required (or a \"marks\" entry for the instrument), a positive number");
    }
    auto mode = r.enumeration(p, "margin_mode", prefix, model::MarginMode::Cross);
    if (!mode) return mode.error();
    e.mode = *mode;
    if (p.contains("leverage")) {
      auto lev = r.positive(p, "leverage", prefix);
      if (!lev) return lev.error();
      e.leverage = *lev;
      out.leverage[e.instrument->id().value()] = *lev;
    } else {
      e.leverage = leverage_of(out, *e.instrument);
    }
    if (e.mode == model::MarginMode::Isolated) {
      auto margin = r.positive(p, "isolated_margin", prefix);
      if (!margin) return margin.error();
      e.isolated_margin = *margin;
    }
    if (p.contains("stop")) {
      auto stop = r.price(p, "stop", prefix);
      if (!stop) return stop.error();
      e.stop = *stop;
    }
    for (const PositionEntry& other : out.positions) {
      if (other.instrument == e.instrument) {
        return r.error(prefix + "instrument",
                       fmt::format("a second position in {} (one-way mode: one position per instrument)",
                                   e.instrument->id().value()));
      }
    }
    out.positions.push_back(e);
  }
  return core::ok();
}

core::Status read_open_orders(const JsonReader& r, const json& doc, PortfolioInput& out) {
  if (!doc.contains("open_orders")) return core::ok();
  const json& list = doc["open_orders"];
  if (!list.is_array()) return r.error("open_orders", "must be an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& o = list[i];
    const std::string prefix = fmt::format("open_orders[{}].", i);
    if (!o.is_object()) return r.error(fmt::format("open_orders[{}]", i), "must be an object");
    OpenOrderEntry e;
    auto instrument = r.instrument(out.instruments, o, prefix);
    if (!instrument) return instrument.error();
    e.instrument = *instrument;
    if (!o.contains("side")) return r.error(prefix + "side", "required, BUY or SELL");
    auto side = r.enumeration(o, "side", prefix, model::OrderSide::Buy);
    if (!side) return side.error();
    e.side = *side;
    auto q = r.positive(o, "quantity", prefix);
    if (!q) return q.error();
    e.quantity = *q;
    auto price = r.price(o, "price", prefix);
    if (!price) return price.error();
    e.price = *price;
    out.open_orders.push_back(e);
  }
  return core::ok();
}

core::Status read_maps(const JsonReader& r, const json& doc, PortfolioInput& out) {
  if (doc.contains("marks")) {
    const json& marks = doc["marks"];
    if (!marks.is_object()) return r.error("marks", "must be an object {\"BTCUSDT.BINANCE\": 60000, …}");
    for (const auto& [key, value] : marks.items()) {
      const model::Instrument* instrument = out.instruments.find(key);
      if (instrument == nullptr) return r.error("marks." + key, "unknown instrument");
      auto d = r.decimal(value, "marks." + key, "a positive number");
      if (!d) return d.error();
      if (!d->is_positive()) return r.error("marks." + key, "must be positive");
      out.marks[instrument->id().value()] = model::Price(*d);
    }
  }
  if (doc.contains("leverage")) {
    const json& leverage = doc["leverage"];
    if (!leverage.is_object()) return r.error("leverage", "must be an object {\"BTCUSDT.BINANCE\": 10, …}");
    for (const auto& [key, value] : leverage.items()) {
      const model::Instrument* instrument = out.instruments.find(key);
      if (instrument == nullptr) return r.error("leverage." + key, "unknown instrument");
      auto d = r.decimal(value, "leverage." + key, "a number >= 1");
      if (!d) return d.error();
      if (*d < Decimal::from_int(1)) return r.error("leverage." + key, "must be >= 1");
      out.leverage[instrument->id().value()] = *d;
    }
  }
  if (doc.contains("quotes")) {
    const json& quotes = doc["quotes"];
    if (!quotes.is_object()) return r.error("quotes", "must be an object {\"BTCUSDT.BINANCE\": {\"bid\": …, \"ask\": …}}");
    for (const auto& [key, value] : quotes.items()) {
      const model::Instrument* instrument = out.instruments.find(key);
      if (instrument == nullptr) return r.error("quotes." + key, "unknown instrument");
      if (!value.is_object()) return r.error("quotes." + key, "must be an object with bid and/or ask");
      Quote q;
      const std::string prefix = "quotes." + key + ".";
      if (value.contains("bid")) {
        auto bid = r.price(value, "bid", prefix);
        if (!bid) return bid.error();
        q.bid = *bid;
      }
      if (value.contains("ask")) {
        auto ask = r.price(value, "ask", prefix);
        if (!ask) return ask.error();
        q.ask = *ask;
      }
      out.quotes[instrument->id().value()] = q;
    }
  }
  return core::ok();
}

core::Status read_covariance(const JsonReader& r, const json& doc, PortfolioInput& out) {
  if (!doc.contains("covariance")) return core::ok();
  const json& c = doc["covariance"];
  if (!c.is_object() || !c.contains("instruments") || !c["instruments"].is_array() || !c.contains("matrix") ||
      !c["matrix"].is_array()) {
    return r.error("covariance", "must be {\"instruments\": [ids…], \"matrix\": [[…], …]} (daily simple returns)");
  }
  const json& ids = c["instruments"];
  const auto n = static_cast<Eigen::Index>(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string field = fmt::format("covariance.instruments[{}]", i);
    if (!ids[i].is_string()) return r.error(field, "must be an instrument id");
    const model::Instrument* instrument = out.instruments.find(ids[i].get<std::string>());
    if (instrument == nullptr) return r.error(field, "unknown instrument");
    out.covariance_instruments.push_back(instrument);
  }
  const json& m = c["matrix"];
  if (static_cast<Eigen::Index>(m.size()) != n) {
    return r.error("covariance.matrix", fmt::format("must have {} rows (one per instrument), got {}", n, m.size()));
  }
  out.covariance = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const json& row = m[static_cast<std::size_t>(i)];
    if (!row.is_array() || static_cast<Eigen::Index>(row.size()) != n) {
      return r.error(fmt::format("covariance.matrix[{}]", i), fmt::format("must be an array of {} numbers", n));
    }
    for (Eigen::Index j = 0; j < n; ++j) {
      const json& v = row[static_cast<std::size_t>(j)];
      if (!v.is_number()) return r.error(fmt::format("covariance.matrix[{}][{}]", i, j), "must be a number");
      out.covariance(i, j) = v.get<double>();
    }
  }
  return core::ok();
}

}  // namespace

const model::Instrument* InstrumentSet::find(std::string_view text) const {
  const model::Instrument* by_symbol = nullptr;
  int symbol_matches = 0;
  for (const auto& i : items) {
    if (i->id().value() == text) return i.get();
    if (i->id().symbol() == text) {
      by_symbol = i.get();
      ++symbol_matches;
    }
  }
  return symbol_matches == 1 ? by_symbol : nullptr;
}

std::vector<const model::Instrument*> InstrumentSet::pointers() const {
  std::vector<const model::Instrument*> out;
  for (const auto& i : items) out.push_back(i.get());
  return out;
}

InstrumentSet builtin_instruments() {
  InstrumentSet set;
  for (auto& spec : model::reference_perpetual_specs("BINANCE")) {
    set.items.push_back(std::make_unique<model::Instrument>(model::Instrument::create(std::move(spec)).value()));
  }
  return set;
}

core::Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::IoError, "cannot open file", path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Decimal leverage_of(const PortfolioInput& input, const model::Instrument& instrument) {
  auto it = input.leverage.find(instrument.id().value());
  return it != input.leverage.end() ? it->second : Decimal::from_int(1);
}

core::Result<PortfolioInput> read_portfolio_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  const JsonReader r(path);
  auto parsed = r.parse(*text);
  if (!parsed) return parsed.error();
  const json& doc = *parsed;
  if (!doc.is_object()) return r.error("", "expected a JSON object with \"wallet_balance\" and \"positions\"");

  PortfolioInput out;
  out.path = path;
  if (doc.contains("instruments")) {
    if (!doc["instruments"].is_string() || doc["instruments"].get<std::string>() != "builtin") {
      return r.error("instruments", "only \"builtin\" is supported (BTCUSDT, ETHUSDT, SOLUSDT perpetuals on BINANCE)");
    }
  }
  out.instruments = builtin_instruments();
  if (!doc.contains("wallet_balance")) return r.error("wallet_balance", "required, a number (USDT)");
  auto wallet = r.decimal(doc["wallet_balance"], "wallet_balance", "a number (USDT)");
  if (!wallet) return wallet.error();
  out.wallet_balance = *wallet;
  BALLAST_TRY(read_maps(r, doc, out));
  BALLAST_TRY(read_positions(r, doc, out));
  BALLAST_TRY(read_open_orders(r, doc, out));
  BALLAST_TRY(read_covariance(r, doc, out));
  if (doc.contains("trading_state")) {
    if (!doc["trading_state"].is_string()) return r.error("trading_state", "must be ACTIVE, REDUCING or HALTED");
    auto state = risk::parse<risk::TradingState>(doc["trading_state"].get<std::string>());
    if (!state) return r.error("trading_state", state.error().message());
    out.trading_state = *state;
  }
  if (doc.contains("time")) {
    if (!doc["time"].is_string()) return r.error("time", "must be an ISO-8601 UTC time, e.g. \"2024-06-01T12:00:00Z\"");
    auto t = core::parse_timestamp(doc["time"].get<std::string>());
    if (!t) return r.error("time", t.error().message());
    out.time = *t;
  }
  return out;
}

portfolio::MarginAccountState margin_state_of(const PortfolioInput& input) {
  portfolio::MarginAccountState state;
  state.settlement_currency = model::Currency::USDT();
  Decimal isolated = Decimal::from_int(0);
  for (const PositionEntry& p : input.positions) {
    if (p.mode == model::MarginMode::Isolated) isolated += p.isolated_margin;
    state.positions.push_back(portfolio::MarginPosition{p.instrument, p.quantity, p.entry_price, p.mark_price, p.mode,
                                                        p.leverage, model::Money(p.isolated_margin, state.settlement_currency)});
  }
  state.cross_wallet_balance = model::Money(input.wallet_balance - isolated, state.settlement_currency);
  for (const OpenOrderEntry& o : input.open_orders) {
    state.open_orders.push_back(portfolio::MarginOrder{o.instrument, o.side, model::Quantity(o.quantity), o.price,
                                                       leverage_of(input, *o.instrument)});
  }
  return state;
}

core::Result<portfolio::PortfolioBook> book_of(const PortfolioInput& input) {
  const auto instruments = input.instruments.pointers();
  auto book = portfolio::PortfolioBook::create(model::Currency::USDT(), instruments, input.wallet_balance);
  if (!book) return book.error().with_context(input.path);
  const core::UnixNanos ts = input.time.value_or(core::UnixNanos(0));
  for (const model::Instrument* instrument : instruments) {
    const auto slot = *book->find(instrument->id());
    const std::string& id = instrument->id().value();
    if (auto it = input.marks.find(id); it != input.marks.end()) {
      if (auto st = book->set_mark(slot, it->second, ts); !st) return st.error().with_context(input.path + ": marks." + id);
    }
    if (auto it = input.quotes.find(id); it != input.quotes.end()) book->set_quote(slot, it->second.bid, it->second.ask);
    if (auto st = book->set_leverage(slot, leverage_of(input, *instrument)); !st) {
      return st.error().with_context(input.path + ": leverage." + id);
    }
  }
  for (std::size_t i = 0; i < input.positions.size(); ++i) {
    const PositionEntry& p = input.positions[i];
    const auto slot = *book->find(p.instrument->id());
    const std::string where = fmt::format("{}: positions[{}]", input.path, i);
    if (auto st = book->set_leverage(slot, p.leverage); !st) return st.error().with_context(where + ".leverage");
    if (p.mode == model::MarginMode::Isolated) {
      if (auto st = book->set_margin_mode(slot, p.mode, p.isolated_margin); !st) return st.error().with_context(where);
    }
    if (auto st = book->set_position(slot, p.quantity, p.entry_price.value()); !st) return st.error().with_context(where);
  }
  for (std::size_t i = 0; i < input.open_orders.size(); ++i) {
    const OpenOrderEntry& o = input.open_orders[i];
    const auto slot = *book->find(o.instrument->id());
    if (auto st = book->add_open_order(slot, o.side, o.quantity, o.price); !st) {
      return st.error().with_context(fmt::format("{}: open_orders[{}]", input.path, i));
    }
  }
  return book;
}

core::Result<OrderInput> read_order_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  const JsonReader r(path);
  auto parsed = r.parse(*text);
  if (!parsed) return parsed.error();
  const json& o = *parsed;
  if (!o.is_object()) return r.error("", "expected a JSON object {\"instrument\", \"side\", \"type\", \"quantity\", …}");
  OrderInput out;
  auto id = r.string(o, "instrument", "");
  if (!id) return id.error();
  out.instrument = *id;
  if (!o.contains("side")) return r.error("side", "required, BUY or SELL");
  auto side = r.enumeration(o, "side", "", model::OrderSide::Buy);
  if (!side) return side.error();
  out.side = *side;
  auto type = r.enumeration(o, "type", "", model::OrderType::Market);
  if (!type) return type.error();
  out.type = *type;
  auto q = r.positive(o, "quantity", "");
  if (!q) return q.error();
  out.quantity = model::Quantity(*q);
  if (o.contains("price")) {
    auto p = r.price(o, "price", "");
    if (!p) return p.error();
    out.price = *p;
  }
  if (o.contains("trigger_price")) {
    auto p = r.price(o, "trigger_price", "");
    if (!p) return p.error();
    out.trigger_price = *p;
  }
  if ((out.type == model::OrderType::Limit || out.type == model::OrderType::StopLimit) && !out.price) {
    return r.error("price", fmt::format("required for a {} order, a positive number", model::to_string(out.type)));
  }
  auto reduce_only = r.flag(o, "reduce_only", "");
  if (!reduce_only) return reduce_only.error();
  out.reduce_only = *reduce_only;
  auto post_only = r.flag(o, "post_only", "");
  if (!post_only) return post_only.error();
  out.post_only = *post_only;
  return out;
}

}  // namespace ballast::cli
