// `ballast risk check|capacity|assess`: a RiskEngine built from a risk configuration (TOML/JSON) and a
// portfolio snapshot, asked about one order (check), the largest order that passes (capacity) or the
// account as a whole (assess). The engine and risk/risk_capacity.hpp decide; this file prints.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "ballast/core/clock.hpp"
#include "ballast/risk/risk_capacity.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "risk_commands.hpp"
#include "risk_input.hpp"

namespace ballast::cli {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;

// Exit code of `risk check` for a denied order (0 approved, 1 bad input).
constexpr int kExitDenied = 2;

struct EngineOptions {
  std::string config;
  std::string portfolio;
  std::string order;
  std::string instrument;
  std::string side = "BUY";
  std::string type = "MARKET";
  std::string price;
  std::string format = "table";
};

// Everything a command needs, with stable addresses (the engine points at the book, the book at the
// instruments).
struct Session {
  PortfolioInput input;
  std::unique_ptr<portfolio::PortfolioBook> book;
  std::unique_ptr<risk::RiskEngine> engine;
  core::UnixNanos now;
};

core::Result<std::unique_ptr<Session>> open_session(const EngineOptions& o) {
  auto config = risk::load_risk_config(o.config);
  if (!config) return config.error();
  auto input = read_portfolio_file(o.portfolio);
  if (!input) return input.error();
  auto session = std::make_unique<Session>();
  session->input = std::move(*input);
  session->now = session->input.time ? *session->input.time : core::LiveClock().now();
  auto book = book_of(session->input);
  if (!book) return book.error();
  session->book = std::make_unique<portfolio::PortfolioBook>(std::move(*book));
  auto engine = risk::RiskEngine::create(std::move(*config), *session->book, session->now);
  if (!engine) return engine.error().with_context(o.config);
  session->engine = std::make_unique<risk::RiskEngine>(std::move(*engine));
  session->engine->set_trading_state(session->input.trading_state);
  if (!session->input.covariance_instruments.empty()) {
    std::vector<portfolio::SlotIndex> slots;
    for (const model::Instrument* i : session->input.covariance_instruments) slots.push_back(*session->book->find(i->id()));
    if (auto st = session->engine->set_var_model(session->input.covariance, std::move(slots)); !st) {
      return st.error().with_context(o.portfolio + ": covariance");
    }
  }
  return session;
}

core::Result<portfolio::SlotIndex> slot_of(const Session& s, const std::string& text, const std::string& where) {
  const model::Instrument* instrument = s.input.instruments.find(text);
  if (instrument == nullptr) {
    return Error(ErrorCode::NotFound,
                 fmt::format("unknown instrument '{}' (built-in: BTCUSDT.BINANCE, ETHUSDT.BINANCE, SOLUSDT.BINANCE)", text),
                 where);
  }
  return *s.book->find(instrument->id());
}

// The configured limit a check compares against, when it has one (for passed checks, which carry no
// numbers in the engine's explanation).
std::optional<Decimal> configured_limit(const risk::RiskConfig& c, const model::Instrument& instrument,
                                        risk::RiskCheck check) {
  using risk::RiskCheck;
  const risk::InstrumentLimits l = c.limits_for(instrument.id());
  const auto value = [](const risk::DecimalLimit& d) { return d.enabled ? std::optional<Decimal>(d.value) : std::nullopt; };
  const auto count = [](const risk::CountLimit& d) {
    return d.enabled ? std::optional<Decimal>(Decimal::from_int(d.value)) : std::nullopt;
  };
  switch (check) {
    case RiskCheck::PriceTick: return instrument.tick_size().value();
    case RiskCheck::QuantityStep: return instrument.step_size().value();
    case RiskCheck::MinQuantity: return instrument.min_quantity().value();
    case RiskCheck::MinNotional:
      return instrument.min_notional() ? std::optional<Decimal>(instrument.min_notional()->amount()) : std::nullopt;
    case RiskCheck::MaxOrderQuantity: return value(l.max_order_quantity);
    case RiskCheck::MaxOrderNotional: return value(l.max_order_notional);
    case RiskCheck::PriceCollar: return value(l.price_collar_bps);
    case RiskCheck::MaxPositionQuantity: return value(l.max_position_quantity);
    case RiskCheck::MaxPositionNotional: return value(l.max_position_notional);
    case RiskCheck::MaxGrossExposure: return value(c.max_gross_exposure);
    case RiskCheck::MaxNetExposure: return value(c.max_net_exposure);
    case RiskCheck::MaxConcentration: return value(l.max_concentration);
    case RiskCheck::MaxLeverage: return value(c.max_leverage);
    case RiskCheck::PortfolioVar:
      return c.portfolio_var.enabled ? std::optional<Decimal>(c.portfolio_var.max_var) : std::nullopt;
    case RiskCheck::OpenOrdersPerInstrument: return count(l.max_open_orders);
    case RiskCheck::OpenOrdersTotal: return count(c.max_open_orders_total);
    case RiskCheck::OrderRatePerSecond: return count(c.max_orders_per_second);
    case RiskCheck::OrderRatePerMinute: return count(c.max_orders_per_minute);
    case RiskCheck::DailyLoss: return value(c.daily_loss_limit);
    case RiskCheck::TradesPerDay: return count(c.max_trades_per_day);
    case RiskCheck::TradesPerHour: return count(c.max_trades_per_hour);
    default: return std::nullopt;
  }
}

Cell optional_decimal(const std::optional<Decimal>& d) { return d ? Cell(trimmed(*d)) : Cell("-"); }

Table limits_table(const std::vector<risk::LimitUsage>& limits) {
  Table t;
  t.title = "limits";
  t.columns = {"check", "instrument", "used", "limit", "left", "utilisation_pct", "breached"};
  for (const risk::LimitUsage& u : limits) {
    t.add_row({std::string(risk::to_string(u.check)), u.instrument_id ? u.instrument_id->value() : std::string("-"),
               trimmed(u.used), trimmed(u.limit), trimmed(u.left),
               u.utilisation ? Cell(trimmed(u.utilisation->mul(Decimal::from_int(100), 2))) : Cell("-"),
               u.breached ? "yes" : "no"});
  }
  return t;
}

std::string warnings_text(const risk::RiskDecision& d) {
  std::string out;
  for (risk::RiskWarning w : {risk::RiskWarning::OrderRateAboveNorm, risk::RiskWarning::NearLimit}) {
    if (!d.has_warning(w)) continue;
    if (!out.empty()) out += ",";
    out += risk::to_string(w);
  }
  return out.empty() ? "-" : out;
}

int run_check(const EngineOptions& o) {
  auto session = open_session(o);
  if (!session) return report(session.error());
  const Session& s = **session;
  auto order = read_order_file(o.order);
  if (!order) return report(order.error());
  auto slot = slot_of(s, order->instrument, o.order + ": instrument");
  if (!slot) return report(slot.error());

  risk::OrderRequest request;
  request.slot = *slot;
  request.side = order->side;
  request.type = order->type;
  request.quantity = order->quantity;
  request.price = order->price;
  request.trigger_price = order->trigger_price;
  request.reduce_only = order->reduce_only;
  request.post_only = order->post_only;
  const risk::RiskDecision decision = s.engine->evaluate(request, s.now);
  const std::vector<risk::CheckOutcome> outcomes = s.engine->explain(request, s.now);
  const model::Instrument& instrument = *s.book->slot(*slot).instrument;

  Table checks;
  checks.title = "checks";
  checks.columns = {"check", "status", "limit", "value", "reason"};
  for (const risk::CheckOutcome& c : outcomes) {
    const bool has_numbers = c.status == risk::CheckStatus::Denied || c.status == risk::CheckStatus::Reduced;
    const std::optional<Decimal> limit =
        has_numbers ? std::optional<Decimal>(c.limit)
        : c.status == risk::CheckStatus::Passed ? configured_limit(s.engine->config(), instrument, c.check)
                                                : std::nullopt;
    checks.add_row({std::string(risk::to_string(c.check)), std::string(risk::to_string(c.status)), optional_decimal(limit),
                    has_numbers ? Cell(trimmed(c.value)) : Cell("-"),
                    c.reason == risk::DenyReason::None ? std::string("-") : std::string(risk::to_string(c.reason))});
  }
  Table result;
  result.columns = {"verdict", "check", "reason", "limit", "value", "quantity", "warnings", "message"};
  result.title = "decision";
  const bool approved = decision.approved();
  result.add_row({std::string(risk::to_string(decision.verdict)),
                  decision.verdict == risk::Verdict::Approved ? std::string("-") : std::string(risk::to_string(decision.check)),
                  decision.reason == risk::DenyReason::None ? std::string("-") : std::string(risk::to_string(decision.reason)),
                  decision.verdict == risk::Verdict::Approved ? Cell("-") : Cell(trimmed(decision.limit)),
                  decision.verdict == risk::Verdict::Approved ? Cell("-") : Cell(trimmed(decision.value)),
                  trimmed(decision.quantity.value()), warnings_text(decision),
                  decision.verdict == risk::Verdict::Approved ? std::string("approved") : decision.message()});
  print(std::vector<Table>{checks, result}, *parse_output_format(o.format), std::cout);
  return approved ? kExitOk : kExitDenied;
}

int run_capacity(const EngineOptions& o) {
  auto session = open_session(o);
  if (!session) return report(session.error());
  const Session& s = **session;
  auto slot = slot_of(s, o.instrument, "--instrument");
  if (!slot) return report(slot.error());
  risk::CapacityQuery q;
  q.slot = *slot;
  q.side = *model::parse<model::OrderSide>(o.side);
  q.type = *model::parse<model::OrderType>(o.type);
  if (!o.price.empty()) {
    auto price = model::Price::parse(o.price);
    if (!price) return report(price.error().with_context("--price"));
    q.price = *price;
  }
  auto cap = risk::capacity(*s.engine, q, s.now);
  if (!cap) return report(cap.error());

  Table t;
  t.title = "capacity: the largest order that passes every check now";
  t.columns = {"instrument", "side", "type", "max_quantity", "notional", "bounded", "binding_quantity", "binding_check",
               "binding_reason", "evaluations"};
  const bool has_binding = cap->binding.has_value();
  t.add_row({s.book->slot(*slot).instrument->id().value(), o.side, o.type, trimmed(cap->max_quantity.value()),
             trimmed(cap->notional.amount()), cap->bounded ? "yes" : "no (search ceiling)",
             has_binding ? Cell(trimmed(cap->binding_quantity.value())) : Cell("-"),
             has_binding ? std::string(risk::to_string(cap->binding->check)) : std::string("-"),
             has_binding ? cap->binding->message() : std::string("-"), cap->evaluations});
  print(std::vector<Table>{t, limits_table(cap->limits)}, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

int run_assess(const EngineOptions& o) {
  auto session = open_session(o);
  if (!session) return report(session.error());
  const Session& s = **session;
  auto a = risk::assess(*s.engine, s.now);
  if (!a) return report(a.error());

  Table t;
  t.title = "assessment";
  t.columns = {"level", "trading_state", "equity", "cross_margin_ratio", "margin_call", "reasons"};
  t.add_row({std::string(risk::to_string(a->level)), std::string(risk::to_string(a->trading_state)), trimmed(a->equity),
             optional_decimal(a->cross_margin_ratio), a->margin_call ? "yes" : "no", a->findings.size()});
  Table r;
  r.title = "reasons";
  r.columns = {"level", "reason", "message"};
  for (const risk::AssessmentFinding& f : a->findings) {
    r.add_row({std::string(risk::to_string(risk::level_of(f.reason))), std::string(risk::to_string(f.reason)), f.message});
  }
  print(std::vector<Table>{t, r, limits_table(a->limits)}, *parse_output_format(o.format), std::cout);
  return kExitOk;
}

void add_engine_options(CLI::App* cmd, EngineOptions& o) {
  cmd->add_option("--config", o.config, "Risk configuration, TOML or JSON (docs/examples/risk.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--portfolio", o.portfolio, "Portfolio snapshot JSON (docs/examples/portfolio.json)")
      ->required()
      ->check(CLI::ExistingFile);
}

}  // namespace

void register_risk_check_commands(CLI::App& risk, Context& ctx) {
  auto check = std::make_shared<EngineOptions>();
  auto* c = risk.add_subcommand("check", "Pre-trade check of one order, every check explained (exit 0 approved, 2 denied)");
  add_engine_options(c, *check);
  c->add_option("--order", check->order, "Order JSON (docs/examples/order.json)")->required()->check(CLI::ExistingFile);
  add_format_option(c, check->format);
  on_run(c, ctx, [check] { return run_check(*check); });

  auto capacity = std::make_shared<EngineOptions>();
  auto* k = risk.add_subcommand("capacity", "Largest order quantity that passes every check now, and each limit's use");
  add_engine_options(k, *capacity);
  k->add_option("--instrument", capacity->instrument, "Instrument id, e.g. BTCUSDT.BINANCE")->required();
  k->add_option("--side", capacity->side, "BUY or SELL")->default_val("BUY")->check(CLI::IsMember({"BUY", "SELL"}));
  k->add_option("--type", capacity->type, "MARKET (at the mark) or LIMIT (with --price)")
      ->default_val("MARKET")
      ->check(CLI::IsMember({"MARKET", "LIMIT"}));
  k->add_option("--price", capacity->price, "Limit price (LIMIT)");
  add_format_option(k, capacity->format);
  on_run(k, ctx, [capacity] { return run_capacity(*capacity); });

  auto assess = std::make_shared<EngineOptions>();
  auto* a = risk.add_subcommand("assess", "Portfolio risk level LOW/MODERATE/HIGH/CRITICAL with its reasons");
  add_engine_options(a, *assess);
  add_format_option(a, assess->format);
  on_run(a, ctx, [assess] { return run_assess(*assess); });
}

}  // namespace ballast::cli
