// `ballast risk size|margin|liquidation`: position sizing (risk/*_sizer.hpp), the margin summary and the
// liquidation prices and maximum losses of a positions snapshot (portfolio/, risk/risk_calculator.hpp).
// This file parses options and prints tables; the library does the arithmetic.

#include "risk_commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <memory>
#include <span>
#include <sstream>
#include <vector>

#include "ballast/analytics/indicators/bar_columns.hpp"
#include "ballast/analytics/indicators/volatility_bands.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/volatility.hpp"
#include "ballast/backtest/annualisation.hpp"
#include "ballast/portfolio/liquidation.hpp"
#include "ballast/portfolio/margin_manager.hpp"
#include "ballast/risk/correlation_sizer.hpp"
#include "ballast/risk/fixed_fractional_sizer.hpp"
#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/risk/kelly_sizer.hpp"
#include "ballast/risk/risk_calculator.hpp"
#include "ballast/risk/volatility_sizer.hpp"
#include "market_input.hpp"
#include "risk_input.hpp"

namespace ballast::cli {

core::Decimal trimmed(const core::Decimal& d) { return core::Decimal::parse(d.to_string_trimmed()).value(); }

namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;

// ---- options ------------------------------------------------------------------------------------------

core::Result<Decimal> decimal_option(const std::string& text, std::string_view option) {
  auto d = Decimal::parse(text);
  if (!d) return Error(ErrorCode::InvalidArgument, fmt::format("'{}' is not a decimal number", text), std::string(option));
  return *d;
}

core::Result<Decimal> positive_option(const std::string& text, std::string_view option) {
  auto d = decimal_option(text, option);
  if (!d) return d.error();
  if (!d->is_positive()) return Error(ErrorCode::InvalidArgument, "must be positive", std::string(option));
  return d;
}

// "0.64,0.24;0.24,0.36" → rows of numbers.
core::Result<std::vector<std::vector<double>>> matrix_option(const std::string& text, std::string_view option) {
  std::vector<std::vector<double>> rows;
  std::stringstream all(text);
  std::string row_text;
  while (std::getline(all, row_text, ';')) {
    std::vector<double> row;
    std::stringstream row_stream(row_text);
    std::string cell;
    while (std::getline(row_stream, cell, ',')) {
      try {
        std::size_t used = 0;
        row.push_back(std::stod(cell, &used));
        if (used != cell.size()) throw std::invalid_argument(cell);
      } catch (const std::exception&) {
        return Error(ErrorCode::InvalidArgument, fmt::format("'{}' is not a number", cell), std::string(option));
      }
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return Error(ErrorCode::InvalidArgument, "empty", std::string(option));
  return rows;
}

// ---- size ---------------------------------------------------------------------------------------------

struct SizeOptions {
  std::string method = "fixed";
  std::string base = "fixed";
  std::string side = "BUY";
  std::string instrument;
  std::string tick = "0.01";
  std::string step = "0.001";
  std::string multiplier = "1";
  std::string price;
  std::string equity;
  std::string stop;
  std::string target;
  std::string risk = "0.01";
  std::string notional;
  double win_rate = 0.5;
  double payoff = 1.0;
  double kelly_fraction = 0.5;
  double kelly_max = 0.25;
  std::string kelly_basis = "notional";
  std::string atr;
  std::string atr_multiple = "2";
  double volatility = 0.0;
  double target_volatility = 0.2;
  std::string covariance;
  std::string exposures;
  std::size_t index = 0;
  std::string max_notional;
  std::string max_quantity;
  // Measured from a bar file when not given: the price (last close), the ATR and the volatility.
  std::string data;
  data::BarTimestampLabel bar_time = data::BarTimestampLabel::IntervalStart;
  int atr_period = 14;
  std::size_t vol_window = 30;
  std::string calendar = "auto";
  std::string format = "table";
};

// What `--data` measured, for the details table: item, value, meaning.
using Measured = std::vector<std::array<std::string, 3>>;

// The last close, ATR(period) at the last bar (Wilder, TA-Lib's convention) and the annualised sample
// standard deviation of the last `window` log returns of a bar file, as far as the options leave them out.
core::Status measure_from_data(SizeOptions& o, Measured& out) {
  auto series = load_bars(o.data, o.bar_time);
  if (!series) return series.error();
  const auto& bars = series->series.bars;
  if (bars.size() < 2) return core::Error(ErrorCode::InvalidArgument, fmt::format("{}: fewer than 2 bars", o.data), "--data");
  const std::string at = core::format_iso8601(bars.back().ts_event);
  if (o.price.empty()) {
    o.price = bars.back().close.value().to_string_trimmed();
    out.push_back({"price_from_data", o.price, fmt::format("the last close ({})", at)});
  }
  const bool wants_atr = o.method == "atr" || (o.method == "correlation" && o.base == "atr");
  if (wants_atr && o.atr.empty()) {
    const analytics::BarColumns cols = analytics::to_columns(bars);
    auto atr = analytics::atr(cols.high, cols.low, cols.close, o.atr_period);
    if (!atr) return atr.error().with_context(o.data);
    if (!std::isfinite(atr->back())) {
      return core::Error(ErrorCode::InvalidArgument,
                         fmt::format("{}: {} bars are too few for ATR({})", o.data, bars.size(), o.atr_period),
                         "--atr-period");
    }
    auto value = Decimal::from_double(atr->back(), 8);
    if (!value || !value->is_positive()) {
      return core::Error(ErrorCode::InvalidArgument, fmt::format("{}: ATR({}) is {}", o.data, o.atr_period, atr->back()),
                         "--data");
    }
    o.atr = value->to_string_trimmed();
    out.push_back({"atr_from_data", o.atr, fmt::format("ATR({}) at the bar of {} (Wilder)", o.atr_period, at)});
  }
  const bool wants_vol = o.method == "volatility" || (o.method == "correlation" && o.base == "volatility");
  if (wants_vol && !(o.volatility > 0)) {
    if (bars.size() < o.vol_window + 1) {
      return core::Error(ErrorCode::InvalidArgument,
                         fmt::format("{}: {} bars are too few for {} returns", o.data, bars.size(), o.vol_window),
                         "--vol-window");
    }
    std::vector<double> closes;
    for (std::size_t i = bars.size() - o.vol_window - 1; i < bars.size(); ++i) closes.push_back(bars[i].close.as_double());
    auto rets = analytics::log_returns(closes);
    if (!rets) return rets.error().with_context(o.data);
    auto n = backtest::periods_per_year(std::span<const model::Bar>(bars), o.calendar);
    if (!n) return n.error().with_context(o.data);
    auto vol = analytics::close_to_close_volatility(*rets, *n);
    if (!vol) return vol.error().with_context(o.data);
    o.volatility = *vol;
    out.push_back({"volatility_from_data", fmt::format("{:.6f}", *vol),
                        fmt::format("σ of the last {} log returns × √{:.2f} ({} calendar)", o.vol_window, *n,
                                    backtest::resolved_calendar(bars, o.calendar))});
  }
  return core::ok();
}

// The instrument: a built-in one by id, or a generic linear USDT contract from --tick/--step/--multiplier.
core::Result<std::unique_ptr<model::Instrument>> size_instrument(const SizeOptions& o) {
  if (!o.instrument.empty()) {
    const InstrumentSet set = builtin_instruments();
    const model::Instrument* found = set.find(o.instrument);
    if (found == nullptr) {
      return Error(ErrorCode::NotFound,
                   fmt::format("unknown instrument '{}' (built-in: BTCUSDT.BINANCE, ETHUSDT.BINANCE, SOLUSDT.BINANCE)",
                               o.instrument),
                   "--instrument");
    }
    return std::make_unique<model::Instrument>(*found);
  }
  auto tick = positive_option(o.tick, "--tick");
  if (!tick) return tick.error();
  auto step = positive_option(o.step, "--step");
  if (!step) return step.error();
  auto multiplier = positive_option(o.multiplier, "--multiplier");
  if (!multiplier) return multiplier.error();
  model::InstrumentSpec spec;
  spec.id = core::InstrumentId::parse("GENERIC.SIM").value();
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency("BASE", 8);
  spec.quote_currency = model::Currency::USDT();
  spec.settlement_currency = model::Currency::USDT();
  spec.tick_size = model::Price(*tick);
  spec.step_size = model::Quantity(*step);
  spec.min_quantity = model::Quantity(*step);
  spec.multiplier = *multiplier;
  auto instrument = model::Instrument::create(spec);
  if (!instrument) return instrument.error().with_context("--tick/--step/--multiplier");
  return std::make_unique<model::Instrument>(std::move(*instrument));
}

core::Result<std::unique_ptr<risk::PositionSizer>> make_sizer(const std::string& method, const SizeOptions& o) {
  using risk::PositionSizer;
  if (method == "fixed") {
    auto fraction = positive_option(o.risk, "--risk");
    if (!fraction) return fraction.error();
    auto s = risk::FixedFractionalSizer::create({*fraction});
    if (!s) return s.error().with_context("--risk");
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::FixedFractionalSizer>(std::move(*s)));
  }
  if (method == "notional") {
    auto notional = positive_option(o.notional, "--notional");
    if (!notional) return notional.error();
    auto s = risk::FixedNotionalSizer::create({model::Money(*notional, model::Currency::USDT())});
    if (!s) return s.error().with_context("--notional");
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::FixedNotionalSizer>(std::move(*s)));
  }
  if (method == "kelly") {
    risk::KellyConfig c;
    c.win_probability = o.win_rate;
    c.payoff_ratio = o.payoff;
    c.kelly_multiplier = o.kelly_fraction;
    c.max_fraction = o.kelly_max;
    c.basis = o.kelly_basis == "stop" ? risk::KellyBasis::RiskToStop : risk::KellyBasis::Notional;
    auto s = risk::KellySizer::create(c);
    if (!s) return s.error();
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::KellySizer>(std::move(*s)));
  }
  if (method == "atr") {
    auto k = positive_option(o.atr_multiple, "--atr-multiple");
    if (!k) return k.error();
    auto fraction = positive_option(o.risk, "--risk");
    if (!fraction) return fraction.error();
    auto s = risk::AtrStopSizer::create({*k, *fraction});
    if (!s) return s.error();
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::AtrStopSizer>(std::move(*s)));
  }
  if (method == "volatility") {
    auto s = risk::VolatilityTargetSizer::create({o.target_volatility});
    if (!s) return s.error().with_context("--target-volatility");
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::VolatilityTargetSizer>(std::move(*s)));
  }
  if (method == "correlation") {
    if (o.base == "correlation") return Error(ErrorCode::InvalidArgument, "the base sizer cannot be correlation", "--base");
    auto base = make_sizer(o.base, o);
    if (!base) return base.error();
    auto cov = matrix_option(o.covariance, "--covariance");
    if (!cov) return cov.error();
    auto exposures = matrix_option(o.exposures, "--exposures");
    if (!exposures) return exposures.error();
    if (exposures->size() != 1) {
      return Error(ErrorCode::InvalidArgument, "one comma-separated row of signed notionals", "--exposures");
    }
    risk::CorrelationSizerConfig c{std::move(*cov), std::move(exposures->front()), o.index};
    auto s = risk::CorrelationSizer::create(std::move(*base), std::move(c));
    if (!s) return s.error().with_context("--covariance/--exposures/--index");
    return std::unique_ptr<PositionSizer>(std::make_unique<risk::CorrelationSizer>(std::move(*s)));
  }
  return Error(ErrorCode::InvalidArgument, fmt::format("unknown method '{}'", method), "--method");
}

std::string reasons_text(const risk::SizingResult& r) {
  std::string out;
  for (risk::SizingReason reason : r.reasons) {
    if (!out.empty()) out += ",";
    out += risk::to_string(reason);
  }
  return out.empty() ? "-" : out;
}

int run_size(SizeOptions o) {
  Measured measured;
  if (!o.data.empty()) {
    if (auto m = measure_from_data(o, measured); !m) return report(m.error());
  }
  if (o.price.empty()) return report(core::Error(ErrorCode::InvalidArgument, "give --price, or --data to take the last close", "--price"));
  auto instrument = size_instrument(o);
  if (!instrument) return report(instrument.error());
  const model::Instrument& inst = **instrument;
  auto side = model::parse<model::OrderSide>(o.side);
  if (!side) return report(side.error().with_context("--side"));
  auto entry = positive_option(o.price, "--price");
  if (!entry) return report(entry.error());
  auto equity = positive_option(o.equity, "--equity");
  if (!equity) return report(equity.error());

  risk::SizingContext c;
  c.instrument = &inst;
  c.side = *side;
  c.entry_price = model::Price(*entry);
  c.equity = model::Money(*equity, inst.settlement_currency());
  if (!o.stop.empty()) {
    auto stop = positive_option(o.stop, "--stop");
    if (!stop) return report(stop.error());
    c.stop_price = model::Price(*stop);
  }
  if (!o.atr.empty()) {
    auto atr = positive_option(o.atr, "--atr");
    if (!atr) return report(atr.error());
    c.atr = model::Price(*atr);
  }
  if (o.volatility > 0) c.annual_volatility = o.volatility;
  if (!o.max_notional.empty()) {
    auto cap = positive_option(o.max_notional, "--max-notional");
    if (!cap) return report(cap.error());
    c.limits.max_notional = model::Money(*cap, inst.settlement_currency());
  }
  if (!o.max_quantity.empty()) {
    auto cap = positive_option(o.max_quantity, "--max-quantity");
    if (!cap) return report(cap.error());
    c.limits.max_quantity = model::Quantity(*cap);
  }
  auto sizer = make_sizer(o.method, o);
  if (!sizer) return report(sizer.error());
  auto result = (*sizer)->size(c);
  if (!result) return report(result.error().with_context(fmt::format("{} sizing", (*sizer)->name())));

  std::vector<Table> tables;
  Table t;
  t.title = fmt::format("position size ({} on {})", (*sizer)->name(), inst.id().value());
  t.columns = {"method", "side", "entry", "equity", "target_quantity", "quantity", "notional", "reasons"};
  t.add_row({std::string((*sizer)->name()), o.side, trimmed(*entry), trimmed(*equity), trimmed(result->target_quantity),
             trimmed(result->quantity.value()), trimmed(result->notional.amount()), reasons_text(*result)});
  tables.push_back(std::move(t));

  Table d;
  d.title = "details";
  d.columns = {"item", "value", "meaning"};
  if (const auto* kelly = dynamic_cast<const risk::KellySizer*>(sizer->get())) {
    d.add_row({"full_kelly", Cell(kelly->full_kelly(), 6), "f* = p - (1 - p) / b"});
    d.add_row({"applied_fraction", Cell(kelly->applied_fraction(), 6), "min(kelly-fraction x f*, kelly-max)"});
  }
  if (c.stop_price && result->quantity.is_positive()) {
    const Decimal distance = (c.entry_price.value() - c.stop_price->value()).abs();
    const Decimal& q = result->quantity.value();
    const Decimal units = q.mul(inst.multiplier(), std::min(Decimal::kMaxScale, q.scale() + inst.multiplier().scale()));
    const Decimal loss = units.mul(distance, 8);
    d.add_row({"loss_at_stop", trimmed(loss), "quantity x |entry - stop| x multiplier, before fees"});
    if (!o.target.empty()) {
      auto target = positive_option(o.target, "--target");
      if (!target) return report(target.error());
      auto rr = risk::risk_reward({&inst, *side, result->quantity, c.entry_price, *c.stop_price, model::Price(*target)});
      if (!rr) return report(rr.error());
      d.add_row({"reward_risk_ratio", trimmed(rr->reward_risk_ratio), "R = reward / risk"});
      d.add_row({"break_even_win_rate", trimmed(rr->break_even_win_rate), "1 / (1 + R)"});
      d.add_row({"net_reward_risk_ratio", trimmed(rr->net_reward_risk_ratio), "after taker fees on entry and exit"});
    }
  }
  for (const auto& [item, value, meaning] : measured) d.add_row({item, value, meaning});
  for (const auto& reason : result->reasons) {
    d.add_row({"reason", std::string(risk::to_string(reason)),
               risk::is_limit_reason(reason) ? "clipped or refused by a limit or instrument minimum" : "the rule's own"});
  }
  if (!d.rows.empty()) tables.push_back(std::move(d));
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

// ---- margin and liquidation ----------------------------------------------------------------------------

struct SnapshotOptions {
  std::string positions;
  std::string wallet;
  std::string format = "table";
};

core::Result<PortfolioInput> read_snapshot(const SnapshotOptions& o) {
  auto input = read_portfolio_file(o.positions);
  if (!input) return input.error();
  if (!o.wallet.empty()) {
    auto wallet = decimal_option(o.wallet, "--wallet");
    if (!wallet) return wallet.error();
    input->wallet_balance = *wallet;
  }
  if (input->positions.empty()) return Error(ErrorCode::InvalidArgument, "no positions", o.positions);
  return input;
}

// 1-based index of a tier in the instrument's brackets.
std::int64_t tier_number(const model::Instrument& instrument, const model::MarginTier& tier) {
  const auto& tiers = instrument.margin_tiers();
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i] == tier) return static_cast<std::int64_t>(i + 1);
  }
  return 0;
}

Cell ratio_cell(const std::optional<Decimal>& ratio) {
  return ratio ? Cell(trimmed(*ratio)) : Cell("unbounded");
}

int run_margin(const SnapshotOptions& o) {
  auto input = read_snapshot(o);
  if (!input) return report(input.error());
  const portfolio::MarginAccountState state = margin_state_of(*input);
  auto manager = portfolio::MarginManager::create();
  if (!manager) return report(manager.error());
  auto summary = manager->evaluate(state);
  if (!summary) return report(summary.error().with_context(o.positions));

  Table p;
  p.title = "positions";
  p.columns = {"instrument", "mode", "quantity", "entry", "mark", "leverage", "notional", "unrealized_pnl",
               "initial_margin", "maintenance_margin", "tier", "tier_max_leverage", "mmr", "margin_ratio"};
  for (std::size_t i = 0; i < summary->positions.size(); ++i) {
    const portfolio::PositionMargin& m = summary->positions[i];
    const portfolio::MarginPosition& pos = state.positions[i];
    // Cross positions: the position's share of the cross ratio (its MM over the cross margin balance).
    const std::optional<Decimal> ratio =
        m.mode == model::MarginMode::Isolated
            ? m.isolated_margin_ratio
            : portfolio::margin_ratio(m.maintenance_margin, summary->cross_margin_balance);
    p.add_row({m.instrument_id.value(), std::string(model::to_string(m.mode)), trimmed(pos.quantity),
               trimmed(pos.entry_price.value()), trimmed(pos.mark_price.value()), trimmed(pos.leverage),
               trimmed(m.notional.amount()), trimmed(m.unrealized_pnl.amount()), trimmed(m.initial_margin.amount()),
               trimmed(m.maintenance_margin.amount()), tier_number(*pos.instrument, m.tier),
               trimmed(m.tier.max_leverage), trimmed(m.tier.maintenance_margin_rate), ratio_cell(ratio)});
  }
  std::vector<Table> tables{p};
  if (!summary->open_orders.empty()) {
    Table oo;
    oo.title = "open order margin";
    oo.columns = {"instrument", "buy_side", "sell_side", "charged"};
    for (const auto& m : summary->open_orders) {
      oo.add_row({m.instrument_id.value(), trimmed(m.buy_side.amount()), trimmed(m.sell_side.amount()),
                  trimmed(m.charged.amount())});
    }
    tables.push_back(std::move(oo));
  }
  Table a;
  a.title = "account (USDT)";
  a.columns = {"wallet_balance", "cross_wallet_balance", "cross_unrealized_pnl", "cross_margin_balance",
               "cross_initial_margin", "cross_maintenance_margin", "open_order_margin", "available_margin",
               "margin_ratio", "margin_call", "liquidatable"};
  a.add_row({trimmed(input->wallet_balance), trimmed(summary->cross_wallet_balance.amount()),
             trimmed(summary->cross_unrealized_pnl.amount()), trimmed(summary->cross_margin_balance.amount()),
             trimmed(summary->cross_initial_margin.amount()), trimmed(summary->cross_maintenance_margin.amount()),
             trimmed(summary->open_order_margin.amount()), trimmed(summary->available_margin.amount()),
             ratio_cell(summary->cross_margin_ratio), summary->any_margin_call ? "yes" : "no",
             summary->any_liquidatable ? "yes" : "no"});
  tables.push_back(std::move(a));
  print(tables, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

int run_liquidation(const SnapshotOptions& o) {
  auto input = read_snapshot(o);
  if (!input) return report(input.error());
  const portfolio::MarginAccountState state = margin_state_of(*input);

  Table l;
  l.title = "liquidation prices (Binance USDⓈ-M formula, one-way mode)";
  l.columns = {"instrument", "mode", "side", "quantity", "entry", "mark", "liquidation_price", "outcome",
               "distance_pct", "tier"};
  Table m;
  m.title = "maximum loss (to the stop, or to liquidation; taker fees on entry and exit)";
  m.columns = {"instrument", "stop", "exit", "exit_price", "price_loss", "fees", "total_loss", "loss_from_mark",
               "isolated_margin"};
  for (std::size_t i = 0; i < state.positions.size(); ++i) {
    const portfolio::MarginPosition& pos = state.positions[i];
    const std::string where = fmt::format("{}: positions[{}]", o.positions, i);
    auto lp = portfolio::liquidation_price(state, i);
    if (!lp) return report(lp.error().with_context(where));
    Cell price("-");
    Cell distance("-");
    if (lp->price) {
      price = trimmed(lp->price->value());
      // Signed distance from the mark in % of the mark (negative: below the mark), 2 places.
      const Decimal move = lp->price->value() - pos.mark_price.value();
      distance = move.mul(Decimal::from_int(100), 10).div(pos.mark_price.value(), 2);
    }
    l.add_row({pos.instrument->id().value(), std::string(model::to_string(pos.mode)),
               pos.quantity.is_positive() ? "LONG" : "SHORT", trimmed(pos.quantity.abs()),
               trimmed(pos.entry_price.value()), trimmed(pos.mark_price.value()), price,
               std::string(portfolio::to_string(lp->outcome)), distance, tier_number(*pos.instrument, lp->tier)});

    const auto& stop = input->positions[i].stop;
    auto loss = risk::max_loss(state, i, stop);
    if (!loss) return report(loss.error().with_context(where));
    m.add_row({pos.instrument->id().value(), stop ? Cell(trimmed(stop->value())) : Cell("-"),
               std::string(risk::to_string(loss->basis)), trimmed(loss->exit_price.value()),
               trimmed(loss->price_loss.amount()), trimmed((loss->entry_fee + loss->exit_fee).amount()),
               trimmed(loss->total_loss.amount()), trimmed(loss->loss_from_mark.amount()),
               loss->isolated_margin ? Cell(trimmed(loss->isolated_margin->amount())) : Cell("-")});
  }
  print(std::vector<Table>{l, m}, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

}  // namespace

void register_risk_commands(CLI::App& app, Context& ctx) {
  auto* risk = app.add_subcommand("risk", "Position sizing, margin, liquidation, pre-trade checks, capacity, assessment");
  risk->require_subcommand(1);

  auto size = std::make_shared<SizeOptions>();
  auto* s = risk->add_subcommand("size", "How much to buy or sell: fixed-fractional, notional, Kelly, ATR, volatility, correlation");
  s->add_option("--method", size->method, "fixed, notional, kelly, atr, volatility or correlation")
      ->default_val("fixed")
      ->check(CLI::IsMember({"fixed", "notional", "kelly", "atr", "volatility", "correlation"}));
  s->add_option("--side", size->side, "BUY or SELL")->default_val("BUY")->check(CLI::IsMember({"BUY", "SELL"}));
  s->add_option("--instrument", size->instrument, "Built-in instrument (BTCUSDT.BINANCE, ETHUSDT.BINANCE, SOLUSDT.BINANCE); "
                                                  "default: a generic linear USDT contract from --tick/--step/--multiplier");
  s->add_option("--tick", size->tick, "Generic instrument: tick size")->default_val("0.01");
  s->add_option("--step", size->step, "Generic instrument: quantity step (also the minimum quantity)")->default_val("0.001");
  s->add_option("--multiplier", size->multiplier, "Generic instrument: contract multiplier")->default_val("1");
  s->add_option("--price", size->price, "Entry price (with --data: default the last close)");
  s->add_option("--equity", size->equity, "Account equity in USDT")->required();
  s->add_option("--stop", size->stop, "Stop price (fixed; kelly with --kelly-basis stop)");
  s->add_option("--target", size->target, "Target price: adds the reward/risk ratio (with --stop)");
  s->add_option("--risk", size->risk, "Fraction of equity risked to the stop (fixed, atr)")->default_val("0.01");
  s->add_option("--notional", size->notional, "Notional per trade in USDT (notional)");
  s->add_option("--win-rate", size->win_rate, "Kelly: probability of a win p")->default_val(0.5)->check(CLI::Range(0.0, 1.0));
  s->add_option("--payoff", size->payoff, "Kelly: average win / average loss b")->default_val(1.0);
  s->add_option("--kelly-fraction", size->kelly_fraction, "Kelly: multiplier of f* (0.5 = half-Kelly)")->default_val(0.5);
  s->add_option("--kelly-max", size->kelly_max, "Kelly: cap on the applied fraction")->default_val(0.25);
  s->add_option("--kelly-basis", size->kelly_basis, "Kelly stake: notional or stop")
      ->default_val("notional")
      ->check(CLI::IsMember({"notional", "stop"}));
  s->add_option("--atr", size->atr, "ATR in price units (atr)");
  s->add_option("--atr-multiple", size->atr_multiple, "Stop distance in ATRs (atr)")->default_val("2");
  s->add_option("--volatility", size->volatility, "Instrument's annualised volatility, e.g. 0.8 (volatility)");
  s->add_option("--target-volatility", size->target_volatility, "Target annualised volatility (volatility)")->default_val(0.2);
  s->add_option("--base", size->base, "correlation: the base method")
      ->default_val("fixed")
      ->check(CLI::IsMember({"fixed", "notional", "kelly", "atr", "volatility"}));
  s->add_option("--covariance", size->covariance, "correlation: covariance matrix, rows ';'-separated: \"0.64,0.24;0.24,0.36\"");
  s->add_option("--exposures", size->exposures, "correlation: signed notionals of the book: \"0,100000\"");
  s->add_option("--index", size->index, "correlation: the traded instrument's row")->default_val(0);
  s->add_option("--max-notional", size->max_notional, "Cap on the notional (USDT)");
  s->add_option("--max-quantity", size->max_quantity, "Cap on the quantity");
  s->add_option("--data", size->data,
                "Bar CSV file: the price (last close), --atr (ATR(--atr-period) at the last bar) and --volatility "
                "(the last --vol-window returns, annualised by --calendar) when not given")
      ->check(CLI::ExistingFile);
  add_bar_time_option(s, size->bar_time);
  s->add_option("--atr-period", size->atr_period, "ATR period for --data")->default_val(14)->check(CLI::Range(1, 100000));
  s->add_option("--vol-window", size->vol_window, "Returns for the volatility of --data")
      ->default_val(30)
      ->check(CLI::Range(2, 1000000));
  s->add_option("--calendar", size->calendar, kCalendarHelp)
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "crypto", "equity", "observed"}));
  add_format_option(s, size->format);
  on_run(s, ctx, [size] { return run_size(*size); });

  auto margin = std::make_shared<SnapshotOptions>();
  auto* m = risk->add_subcommand("margin", "Margin summary of a positions snapshot (IM, MM, tiers, ratio, available margin)");
  m->add_option("--positions", margin->positions, "positions.json (docs/cli.md)")->required()->check(CLI::ExistingFile);
  m->add_option("--wallet", margin->wallet, "Wallet balance in USDT (replaces the file's wallet_balance)");
  add_format_option(m, margin->format);
  on_run(m, ctx, [margin] { return run_margin(*margin); });

  auto liquidation = std::make_shared<SnapshotOptions>();
  auto* l = risk->add_subcommand("liquidation", "Liquidation price, distance from the mark and maximum loss of each position");
  l->add_option("--positions", liquidation->positions, "positions.json (docs/cli.md)")->required()->check(CLI::ExistingFile);
  l->add_option("--wallet", liquidation->wallet, "Wallet balance in USDT (replaces the file's wallet_balance)");
  add_format_option(l, liquidation->format);
  on_run(l, ctx, [liquidation] { return run_liquidation(*liquidation); });

  register_risk_check_commands(*risk, ctx);
}

}  // namespace ballast::cli
