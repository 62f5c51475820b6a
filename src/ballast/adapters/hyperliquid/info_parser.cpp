#include "ballast/adapters/hyperliquid/info_parser.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <limits>

namespace ballast::adapters::hyperliquid {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using Json = nlohmann::json;

Error parse_error(std::string message, const std::string& path) {
  return Error(ErrorCode::ParseError, std::move(message), path);
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

core::Result<Json> parse_json(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return Error(ErrorCode::ParseError, fmt::format("invalid JSON: {}", e.what()));
  }
}

core::Result<const Json*> member(const Json& obj, std::string_view key, const std::string& path) {
  if (!obj.is_object()) return parse_error("expected an object", path);
  const auto it = obj.find(key);
  if (it == obj.end()) return parse_error("missing field", join(path, key));
  return &*it;
}

core::Result<const Json*> array_at(const Json& obj, std::string_view key, const std::string& path) {
  auto m = member(obj, key, path);
  if (!m) return m.error();
  if (!(*m)->is_array()) return parse_error("expected an array", join(path, key));
  return *m;
}

core::Result<Decimal> decimal_value(const Json& v, const std::string& path) {
  if (!v.is_string()) return parse_error(fmt::format("expected a decimal string, got {}", v.dump()), path);
  auto d = Decimal::parse(v.get_ref<const std::string&>());
  if (!d) return parse_error(fmt::format("'{}' is not a decimal: {}", v.get<std::string>(), d.error().message()), path);
  return *d;
}

core::Result<Decimal> decimal_field(const Json& obj, std::string_view key, const std::string& path) {
  auto m = member(obj, key, path);
  if (!m) return m.error();
  return decimal_value(**m, join(path, key));
}

// Absent or null → nullopt; otherwise a decimal string.
core::Result<std::optional<Decimal>> optional_decimal(const Json& obj, std::string_view key, const std::string& path) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<Decimal>();
  auto d = decimal_value(*it, join(path, key));
  if (!d) return d.error();
  return std::optional<Decimal>(*d);
}

core::Result<std::uint64_t> uint_field(const Json& obj, std::string_view key, const std::string& path) {
  auto m = member(obj, key, path);
  if (!m) return m.error();
  const Json& v = **m;
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  return parse_error(fmt::format("expected a non-negative integer, got {}", v.dump()), join(path, key));
}

core::Result<std::string> string_field(const Json& obj, std::string_view key, const std::string& path) {
  auto m = member(obj, key, path);
  if (!m) return m.error();
  if (!(*m)->is_string()) return parse_error(fmt::format("expected a string, got {}", (*m)->dump()), join(path, key));
  return (*m)->get<std::string>();
}

core::Result<bool> bool_field(const Json& obj, std::string_view key, const std::string& path,
                              std::optional<bool> fallback = std::nullopt) {
  const auto it = obj.find(key);
  if (it == obj.end() && fallback) return *fallback;
  if (it == obj.end()) return parse_error("missing field", join(path, key));
  if (!it->is_boolean()) return parse_error(fmt::format("expected true or false, got {}", it->dump()), join(path, key));
  return it->get<bool>();
}

core::Result<core::UnixNanos> millis_field(const Json& obj, std::string_view key, const std::string& path) {
  auto ms = uint_field(obj, key, path);
  if (!ms) return ms.error();
  if (*ms > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000000)) {
    return parse_error(fmt::format("timestamp {} ms is out of range", *ms), join(path, key));
  }
  return core::UnixNanos::from_millis(static_cast<std::int64_t>(*ms));
}

core::Result<bool> side_field(const Json& obj, const std::string& path) {
  auto side = string_field(obj, "side", path);
  if (!side) return side.error();
  if (*side == "B") return true;
  if (*side == "A") return false;
  return parse_error(fmt::format("side must be \"B\" (buy) or \"A\" (sell), got \"{}\"", *side), join(path, "side"));
}

core::Result<std::optional<Cloid>> optional_cloid(const Json& obj, const std::string& path) {
  const auto it = obj.find("cloid");
  if (it == obj.end() || it->is_null()) return std::optional<Cloid>();
  if (!it->is_string()) return parse_error("expected a hex string", join(path, "cloid"));
  auto c = Cloid::parse(it->get<std::string>(), join(path, "cloid"));
  if (!c) return c.error();
  return std::optional<Cloid>(*c);
}

Decimal pow10_neg(int places) { return Decimal::from_raw(1, places); }

core::Result<MarginSummary> parse_margin_summary(const Json& obj, const std::string& path) {
  MarginSummary s;
  auto av = decimal_field(obj, "accountValue", path);
  if (!av) return av.error();
  auto tmu = decimal_field(obj, "totalMarginUsed", path);
  if (!tmu) return tmu.error();
  auto tnp = decimal_field(obj, "totalNtlPos", path);
  if (!tnp) return tnp.error();
  auto tru = decimal_field(obj, "totalRawUsd", path);
  if (!tru) return tru.error();
  return MarginSummary{*av, *tmu, *tnp, *tru};
}

// "ETH" → "ETH"; "kPEPE" → "KPEPE": Currency codes are upper-case alphanumerics.
core::Result<model::Currency> base_currency(std::string_view coin, const std::string& path) {
  std::string code;
  for (char c : coin) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto cur = model::Currency::parse(code);
  if (!cur) return parse_error(fmt::format("coin '{}' gives no valid currency code", coin), path);
  return *cur;
}

}  // namespace

core::InstrumentId perp_instrument_id(std::string_view coin, const core::VenueId& venue) {
  return core::InstrumentId(std::string(coin) + "-PERP", venue);
}

core::Result<std::vector<PerpAsset>> parse_meta(std::string_view json, const InstrumentDefaults& defaults) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  auto universe = array_at(*doc, "universe", "");
  if (!universe) return universe.error();
  std::vector<PerpAsset> out;
  for (std::size_t i = 0; i < (*universe)->size(); ++i) {
    const Json& a = (**universe)[i];
    const std::string path = index_path("universe", i);
    auto name = string_field(a, "name", path);
    if (!name) return name.error();
    auto sz_decimals = uint_field(a, "szDecimals", path);
    if (!sz_decimals) return sz_decimals.error();
    if (*sz_decimals > 8) return parse_error("szDecimals must be 0..8", join(path, "szDecimals"));
    auto max_leverage = uint_field(a, "maxLeverage", path);
    if (!max_leverage) return max_leverage.error();
    if (*max_leverage < 1 || *max_leverage > 1000) return parse_error("maxLeverage must be 1..1000", join(path, "maxLeverage"));
    auto only_isolated = bool_field(a, "onlyIsolated", path, false);
    if (!only_isolated) return only_isolated.error();
    auto delisted = bool_field(a, "isDelisted", path, false);
    if (!delisted) return delisted.error();
    auto base = base_currency(*name, join(path, "name"));
    if (!base) return base.error();
    if (!core::is_valid_identifier(*name + "-PERP")) return parse_error("not a valid symbol", join(path, "name"));

    const int szd = static_cast<int>(*sz_decimals);
    const auto lev = static_cast<std::int64_t>(*max_leverage);
    model::InstrumentSpec spec;
    spec.id = perp_instrument_id(*name, defaults.venue);
    spec.kind = model::InstrumentKind::Perpetual;
    spec.base_currency = *base;
    spec.quote_currency = model::Currency::USDC();
    spec.settlement_currency = model::Currency::USDC();
    spec.tick_size = model::Price(pow10_neg(max_price_decimals(szd, MarketKind::Perp)));
    spec.step_size = model::Quantity(pow10_neg(szd));
    spec.min_quantity = spec.step_size;
    spec.min_notional = model::Money(defaults.min_notional, model::Currency::USDC());
    spec.maker_fee_rate = defaults.maker_fee_rate;
    spec.taker_fee_rate = defaults.taker_fee_rate;
    // maintenance = half the initial margin at max leverage = 1 / (2 × maxLeverage), exact at 12 places.
    const Decimal maintenance = Decimal::from_int(1).div(Decimal::from_int(2 * lev), 12, core::RoundingMode::Up);
    spec.margin_tiers.push_back(model::MarginTier{Decimal::from_int(0), Decimal::from_int(1'000'000'000'000),
                                                  Decimal::from_int(lev), maintenance, Decimal::from_int(0)});
    auto instrument = model::Instrument::create(std::move(spec));
    if (!instrument) return Error(ErrorCode::ParseError, instrument.error().message(), path);
    out.push_back(PerpAsset{static_cast<std::uint32_t>(i), *name, szd, static_cast<int>(lev), *only_isolated,
                            *delisted, std::move(*instrument)});
  }
  return out;
}

core::Result<ClearinghouseState> parse_clearinghouse_state(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  ClearinghouseState st;
  auto positions = array_at(*doc, "assetPositions", "");
  if (!positions) return positions.error();
  for (std::size_t i = 0; i < (*positions)->size(); ++i) {
    const std::string outer = index_path("assetPositions", i);
    auto pos_json = member((**positions)[i], "position", outer);
    if (!pos_json) return pos_json.error();
    const Json& p = **pos_json;
    const std::string path = join(outer, "position");
    AssetPosition pos;
    auto coin = string_field(p, "coin", path);
    if (!coin) return coin.error();
    pos.coin = *coin;
    auto szi = decimal_field(p, "szi", path);
    if (!szi) return szi.error();
    pos.szi = *szi;
    auto entry = optional_decimal(p, "entryPx", path);
    if (!entry) return entry.error();
    pos.entry_px = *entry;
    auto liq = optional_decimal(p, "liquidationPx", path);
    if (!liq) return liq.error();
    pos.liquidation_px = *liq;
    auto value = decimal_field(p, "positionValue", path);
    if (!value) return value.error();
    pos.position_value = *value;
    auto margin = decimal_field(p, "marginUsed", path);
    if (!margin) return margin.error();
    pos.margin_used = *margin;
    auto upnl = decimal_field(p, "unrealizedPnl", path);
    if (!upnl) return upnl.error();
    pos.unrealized_pnl = *upnl;
    auto leverage = member(p, "leverage", path);
    if (!leverage) return leverage.error();
    const std::string lev_path = join(path, "leverage");
    auto type = string_field(**leverage, "type", lev_path);
    if (!type) return type.error();
    if (*type != "cross" && *type != "isolated") {
      return parse_error(fmt::format("must be \"cross\" or \"isolated\", got \"{}\"", *type), join(lev_path, "type"));
    }
    pos.is_cross = *type == "cross";
    auto lev_value = uint_field(**leverage, "value", lev_path);
    if (!lev_value) return lev_value.error();
    pos.leverage = static_cast<std::uint32_t>(*lev_value);
    st.positions.push_back(std::move(pos));
  }
  auto ms = member(*doc, "marginSummary", "");
  if (!ms) return ms.error();
  auto summary = parse_margin_summary(**ms, "marginSummary");
  if (!summary) return summary.error();
  st.margin_summary = *summary;
  auto cms = member(*doc, "crossMarginSummary", "");
  if (!cms) return cms.error();
  auto cross = parse_margin_summary(**cms, "crossMarginSummary");
  if (!cross) return cross.error();
  st.cross_margin_summary = *cross;
  auto cmmu = decimal_field(*doc, "crossMaintenanceMarginUsed", "");
  if (!cmmu) return cmmu.error();
  st.cross_maintenance_margin_used = *cmmu;
  auto withdrawable = decimal_field(*doc, "withdrawable", "");
  if (!withdrawable) return withdrawable.error();
  st.withdrawable = *withdrawable;
  auto time = millis_field(*doc, "time", "");
  if (!time) return time.error();
  st.time = *time;
  return st;
}

std::vector<runtime::PositionStatusReport> ClearinghouseState::position_reports(const core::AccountId& account,
                                                                                const core::VenueId& venue) const {
  std::vector<runtime::PositionStatusReport> out;
  for (const auto& p : positions) {
    if (p.szi.is_zero()) continue;
    runtime::PositionStatusReport r;
    r.account_id = account;
    r.instrument_id = perp_instrument_id(p.coin, venue);
    r.quantity = p.szi;
    if (p.entry_px) r.avg_px_open = model::Price(*p.entry_px);
    if (p.liquidation_px && p.liquidation_px->is_positive()) r.liquidation_price = model::Price(*p.liquidation_px);
    r.margin_mode = p.is_cross ? model::MarginMode::Cross : model::MarginMode::Isolated;
    r.ts_event = time;
    out.push_back(std::move(r));
  }
  return out;
}

model::Balance ClearinghouseState::usdc_balance() const {
  const model::Currency usdc = model::Currency::USDC();
  return model::Balance{model::Money(margin_summary.account_value, usdc),
                        model::Money(margin_summary.account_value - withdrawable, usdc)};
}

core::Result<std::vector<OpenOrder>> parse_open_orders(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  if (!doc->is_array()) return parse_error("expected an array of orders", "");
  std::vector<OpenOrder> out;
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const Json& o = (*doc)[i];
    const std::string path = index_path("", i);
    OpenOrder order;
    auto coin = string_field(o, "coin", path);
    if (!coin) return coin.error();
    order.coin = *coin;
    auto buy = side_field(o, path);
    if (!buy) return buy.error();
    order.is_buy = *buy;
    auto px = decimal_field(o, "limitPx", path);
    if (!px) return px.error();
    order.limit_px = *px;
    auto sz = decimal_field(o, "sz", path);
    if (!sz) return sz.error();
    order.sz = *sz;
    auto orig = optional_decimal(o, "origSz", path);
    if (!orig) return orig.error();
    order.orig_sz = *orig;
    auto oid = uint_field(o, "oid", path);
    if (!oid) return oid.error();
    order.oid = *oid;
    auto ts = millis_field(o, "timestamp", path);
    if (!ts) return ts.error();
    order.timestamp = *ts;
    auto cloid = optional_cloid(o, path);
    if (!cloid) return cloid.error();
    order.cloid = *cloid;
    out.push_back(std::move(order));
  }
  return out;
}

runtime::OrderStatusReport OpenOrder::to_report(const core::AccountId& account, const core::VenueId& venue) const {
  runtime::OrderStatusReport r;
  if (cloid) r.client_order_id = core::ClientOrderId(cloid->to_wire());
  r.venue_order_id = core::VenueOrderId(std::to_string(oid));
  r.account_id = account;
  r.instrument_id = perp_instrument_id(coin, venue);
  r.side = is_buy ? model::OrderSide::Buy : model::OrderSide::Sell;
  r.type = model::OrderType::Limit;
  const Decimal original = orig_sz.value_or(sz);
  r.quantity = model::Quantity(original);
  r.filled_qty = model::Quantity(original > sz ? original - sz : Decimal::from_int(0));
  r.status = r.filled_qty.is_zero() ? model::OrderStatus::Accepted : model::OrderStatus::PartiallyFilled;
  r.price = model::Price(limit_px);
  r.ts_last = timestamp;
  return r;
}

core::Result<std::vector<UserFill>> parse_user_fills(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  if (!doc->is_array()) return parse_error("expected an array of fills", "");
  std::vector<UserFill> out;
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const Json& f = (*doc)[i];
    const std::string path = index_path("", i);
    UserFill fill;
    auto coin = string_field(f, "coin", path);
    if (!coin) return coin.error();
    fill.coin = *coin;
    auto px = decimal_field(f, "px", path);
    if (!px) return px.error();
    fill.px = *px;
    auto sz = decimal_field(f, "sz", path);
    if (!sz) return sz.error();
    if (!sz->is_positive()) return parse_error("fill size must be positive", join(path, "sz"));
    fill.sz = *sz;
    auto buy = side_field(f, path);
    if (!buy) return buy.error();
    fill.is_buy = *buy;
    auto time = millis_field(f, "time", path);
    if (!time) return time.error();
    fill.time = *time;
    auto start = decimal_field(f, "startPosition", path);
    if (!start) return start.error();
    fill.start_position = *start;
    auto dir = string_field(f, "dir", path);
    if (!dir) return dir.error();
    fill.dir = *dir;
    auto pnl = decimal_field(f, "closedPnl", path);
    if (!pnl) return pnl.error();
    fill.closed_pnl = *pnl;
    auto hash = string_field(f, "hash", path);
    if (!hash) return hash.error();
    fill.hash = *hash;
    auto oid = uint_field(f, "oid", path);
    if (!oid) return oid.error();
    fill.oid = *oid;
    auto crossed = bool_field(f, "crossed", path);
    if (!crossed) return crossed.error();
    fill.crossed = *crossed;
    auto fee = decimal_field(f, "fee", path);
    if (!fee) return fee.error();
    fill.fee = *fee;
    auto fee_token = string_field(f, "feeToken", path);
    if (!fee_token) return fee_token.error();
    if (!model::Currency::parse(*fee_token)) return parse_error("not a currency code", join(path, "feeToken"));
    fill.fee_token = *fee_token;
    auto tid = uint_field(f, "tid", path);
    if (!tid) return tid.error();
    fill.tid = *tid;
    auto cloid = optional_cloid(f, path);
    if (!cloid) return cloid.error();
    fill.cloid = *cloid;
    out.push_back(std::move(fill));
  }
  return out;
}

model::Fill UserFill::to_fill(const core::AccountId& account, const core::VenueId& venue,
                              core::UnixNanos ts_recv) const {
  model::Fill f;
  f.trade_id = core::TradeId(std::to_string(tid));
  if (cloid) f.client_order_id = core::ClientOrderId(cloid->to_wire());
  f.venue_order_id = core::VenueOrderId(std::to_string(oid));
  f.instrument_id = perp_instrument_id(coin, venue);
  f.account_id = account;
  f.side = is_buy ? model::OrderSide::Buy : model::OrderSide::Sell;
  f.last_qty = model::Quantity(sz);
  f.last_px = model::Price(px);
  f.commission = model::Money(fee, *model::Currency::parse(fee_token));
  f.liquidity_side = crossed ? model::LiquiditySide::Taker : model::LiquiditySide::Maker;
  f.ts_event = time;
  f.ts_recv = ts_recv;
  return f;
}

core::Result<L2Book> parse_l2_book(std::string_view json, core::UnixNanos ts_recv) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  L2Book book;
  auto coin = string_field(*doc, "coin", "");
  if (!coin) return coin.error();
  book.coin = *coin;
  auto time = uint_field(*doc, "time", "");
  if (!time) return time.error();
  auto ts = millis_field(*doc, "time", "");
  if (!ts) return ts.error();
  auto levels = array_at(*doc, "levels", "");
  if (!levels) return levels.error();
  if ((*levels)->size() != 2) return parse_error("expected [bids, asks]", "levels");
  for (std::size_t side = 0; side < 2; ++side) {
    const std::string side_path = index_path("levels", side);
    const Json& list = (**levels)[side];
    if (!list.is_array()) return parse_error("expected an array of levels", side_path);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = index_path(side_path, i);
      auto px = decimal_field(list[i], "px", path);
      if (!px) return px.error();
      auto sz = decimal_field(list[i], "sz", path);
      if (!sz) return sz.error();
      if (sz->is_negative()) return parse_error("size must not be negative", join(path, "sz"));
      auto n = uint_field(list[i], "n", path);
      if (!n) return n.error();
      model::BookLevel level{model::Price(*px), model::Quantity(*sz)};
      (side == 0 ? book.snapshot.bids : book.snapshot.asks).push_back(level);
      (side == 0 ? book.bid_counts : book.ask_counts).push_back(static_cast<std::uint32_t>(*n));
    }
  }
  book.snapshot.update_id = *time;
  book.snapshot.ts_event = *ts;
  book.snapshot.ts_recv = ts_recv;
  return book;
}

core::Result<std::vector<model::Bar>> parse_candle_snapshot(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  if (!doc->is_array()) return parse_error("expected an array of candles", "");
  std::vector<model::Bar> out;
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const Json& c = (*doc)[i];
    const std::string path = index_path("", i);
    auto open_time = millis_field(c, "t", path);
    if (!open_time) return open_time.error();
    auto close_time = millis_field(c, "T", path);
    if (!close_time) return close_time.error();
    if (*close_time < *open_time) return parse_error("close time T is before open time t", join(path, "T"));
    std::array<Decimal, 5> v{};
    const std::array<const char*, 5> keys{"o", "h", "l", "c", "v"};
    for (std::size_t k = 0; k < keys.size(); ++k) {
      auto d = decimal_field(c, keys[k], path);
      if (!d) return d.error();
      v[k] = *d;
    }
    if (v[4].is_negative()) return parse_error("volume must not be negative", join(path, "v"));
    model::Bar bar;
    bar.ts_event = *open_time;
    // "T" is the last millisecond of the interval; the bar is complete one millisecond later.
    bar.ts_recv = *close_time + std::chrono::milliseconds(1);
    bar.open = model::Price(v[0]);
    bar.high = model::Price(v[1]);
    bar.low = model::Price(v[2]);
    bar.close = model::Price(v[3]);
    bar.volume = model::Quantity(v[4]);
    out.push_back(bar);
  }
  return out;
}

}  // namespace ballast::adapters::hyperliquid
