// AlgoDesk: execution algorithms on the paper desk (see internal/algo_desk.hpp).

#include "ballast/server/internal/algo_desk.hpp"

#include "ballast/execution/execution_quality.hpp"
#include "ballast/execution/participation_algorithms.hpp"
#include "ballast/execution/schedule_algorithms.hpp"
#include "ballast/server/internal/desk.hpp"
#include "ballast/server/internal/json_views.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace ballast::server {

namespace jv = json_views;
using core::Decimal;
using core::RoundingMode;
using core::UnixNanos;
using Json = nlohmann::json;

std::string_view to_string(AlgoKind kind) noexcept {
  switch (kind) {
    case AlgoKind::Twap: return "TWAP";
    case AlgoKind::Vwap: return "VWAP";
    case AlgoKind::Pov: return "POV";
    case AlgoKind::Iceberg: return "ICEBERG";
  }
  return "TWAP";
}

std::string_view to_string(AlgoStatus status) noexcept {
  switch (status) {
    case AlgoStatus::Running: return "RUNNING";
    case AlgoStatus::Done: return "DONE";
    case AlgoStatus::Canceled: return "CANCELED";
    case AlgoStatus::Failed: return "FAILED";
  }
  return "RUNNING";
}

core::Result<AlgoKind> parse_algo_kind(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const AlgoKind k : {AlgoKind::Twap, AlgoKind::Vwap, AlgoKind::Pov, AlgoKind::Iceberg}) {
    if (to_string(k) == upper) return k;
  }
  return core::Error(core::ErrorCode::InvalidArgument,
                     fmt::format("unknown algorithm '{}': TWAP, VWAP, POV or ICEBERG", text), "algorithm");
}

struct AlgoDesk::Algo {
  std::string id;
  AlgoRequest request;
  std::size_t index{0};  // the instrument's index in the desk
  std::unique_ptr<execution::ExecutionAlgorithm> algorithm;
  AlgoStatus status{AlgoStatus::Running};
  std::string reason;  // why it stopped when not DONE
  UnixNanos start{};
  UnixNanos end{};
  std::optional<UnixNanos> finished{};
  UnixNanos last_update{};
  std::optional<UnixNanos> last_bar{};  // ts_event of the latest bar fed
  std::optional<model::Price> last_close{};  // its close: values the unfilled part (frozen once finished)
  std::map<std::string, core::ClientOrderId> children;  // kernel order id → the algorithm's child id
  std::set<std::string> cancels_sent;                   // kernel ids of children already asked to cancel
  std::vector<model::Fill> fills;                       // as the venue reported them (kernel ids)
  double volume{0.0};                                   // market volume of the bars since the start
  double volume_value{0.0};                             // Σ typical price × volume of those bars
  int denials{0};
  std::string last_denial_code;
  std::string last_denial_message;
  std::string published;  // the last view sent on the "orders" channel
  bool dirty{true};       // something changed since the last publication
};

AlgoDesk::AlgoDesk() = default;
AlgoDesk::~AlgoDesk() = default;

namespace {

core::Error invalid(std::string message, std::string field) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(field));
}

// The paper touch of a bar (header): close ∓ ½ tick rounded outward to the tick.
execution::MarketState market_of(const model::Instrument& instrument, const model::Bar& bar, UnixNanos now) {
  execution::MarketState m;
  m.now = now;
  m.last = bar.close;
  const Decimal tick = instrument.tick_size().value();
  const Decimal half = tick.div(Decimal::from_int(2), std::min(Decimal::kMaxScale, tick.scale() + 1));
  const auto bid = instrument.round_price(model::Price(bar.close.value() - half), RoundingMode::Down);
  const auto ask = instrument.round_price(model::Price(bar.close.value() + half), RoundingMode::Up);
  if (bid && bid->is_positive()) m.best_bid = *bid;
  if (ask && ask->is_positive()) m.best_ask = *ask;
  return m;
}

Json number_or_null(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

double ratio(const Decimal& a, const Decimal& b) { return b.is_positive() ? a.to_double() / b.to_double() : 0.0; }

}  // namespace

core::Result<std::string> AlgoDesk::start(Desk& desk, const AlgoRequest& request) {
  if (request.instrument == nullptr) return invalid("required", "symbol");
  const model::Instrument& instrument = *request.instrument;
  const auto index = desk.index_of(instrument.id());
  if (!index) return invalid(fmt::format("{} is not listed on the paper venue", instrument.id().value()), "symbol");
  if (desk.kernel().engine().trading_state() == risk::TradingState::Halted) {
    return core::Error(core::ErrorCode::InvalidState, "trading is HALTED: no new exposure (reset the emergency stop first)",
                       "trading_state");
  }
  const auto& bar = desk.last_bar(*index);
  if (!bar) return core::Error(core::ErrorCode::InvalidState, "no price yet for this instrument", "symbol");
  if (!(request.duration.count() > 0)) return invalid("must be > 0", "duration");
  if (auto s = instrument.check_quantity_on_step(request.quantity); !s) return invalid(s.error().message(), "quantity");
  if (request.quantity < instrument.min_quantity()) {
    return invalid(fmt::format("{} is below the minimum {}", request.quantity.to_string(),
                               instrument.min_quantity().to_string()),
                   "quantity");
  }
  if (request.limit_price) {
    if (auto s = instrument.check_price_on_tick(*request.limit_price); !s) return invalid(s.error().message(), "limit_price");
  }

  // "ALGO<session>-n": the session of the kernel's order ids ("O<session>") keeps ids unique across restarts.
  const std::string& prefix = desk.kernel().config().order_id_prefix;
  const std::string session = prefix.size() > 1 && prefix[0] == 'O' ? prefix.substr(1) : std::string();
  auto algo = std::make_unique<Algo>();
  algo->id = fmt::format("ALGO{}-{}", session, next_id_);
  algo->request = request;
  algo->index = *index;
  algo->start = std::max(desk.now(), bar->ts_recv);
  algo->end = algo->start + request.duration;
  algo->last_update = algo->start;
  algo->last_bar = bar->ts_event;

  execution::ParentOrder parent;
  parent.id = core::ClientOrderId(algo->id);
  parent.strategy_id = core::StrategyId(algo->id);
  parent.account_id = core::AccountId(desk.account_id());
  parent.instrument_id = instrument.id();
  parent.side = request.side;
  // At the lot's precision (exact: it is on the step), whatever precision the request was written in: the
  // algorithms size their schedules at the quantity's scale.
  parent.quantity = model::Quantity(request.quantity.value().rescale(
      std::max(instrument.quantity_precision(), request.quantity.value().scale())));
  parent.start = algo->start;
  parent.end = algo->end;
  parent.limit_price = request.limit_price;
  parent.pricing = request.pricing;

  core::Result<std::unique_ptr<execution::ExecutionAlgorithm>> made =
      core::Error(core::ErrorCode::Internal, "no algorithm", "algorithm");
  const auto take = [&made](auto&& result) {
    if (result) {
      made = std::unique_ptr<execution::ExecutionAlgorithm>(std::move(*result));
    } else {
      made = result.error();
    }
  };
  switch (request.kind) {
    case AlgoKind::Twap: {
      execution::TwapConfig c;
      if (request.slices) c.slices = *request.slices;
      take(execution::TwapAlgorithm::create(parent, instrument, c));
      break;
    }
    case AlgoKind::Vwap: {
      execution::VwapConfig c;
      if (request.slices) c.slices = *request.slices;
      take(execution::VwapAlgorithm::create(parent, instrument, c));
      break;
    }
    case AlgoKind::Pov: {
      execution::PovConfig c;
      if (!request.participation) return invalid("required for POV: a rate in (0, 1)", "participation");
      c.rate = *request.participation;
      take(execution::PovAlgorithm::create(parent, instrument, c));
      break;
    }
    case AlgoKind::Iceberg: {
      execution::IcebergConfig c;
      if (!request.display_quantity) return invalid("required for ICEBERG", "display_quantity");
      if (!request.limit_price) return invalid("required for ICEBERG", "limit_price");
      c.display_quantity = *request.display_quantity;
      take(execution::IcebergAlgorithm::create(parent, instrument, c));
      break;
    }
  }
  if (!made) {
    // The algorithm's own validation: name the request field it is about when we can.
    const core::Error& e = made.error();
    std::string field = e.where();
    if (field == "parent" || field.empty()) {
      const std::string& m = e.message();
      field = m.find("quantity") != std::string::npos ? "quantity"
              : m.find("limit_price") != std::string::npos ? "limit_price"
              : m.find("end") != std::string::npos ? "duration"
                                                     : "algorithm";
    } else if (field == "rate") {
      field = "participation";
    }
    return core::Error(e.code() == core::ErrorCode::Internal ? core::ErrorCode::Internal : core::ErrorCode::InvalidArgument,
                       e.message(), field);
  }
  ++next_id_;
  algo->algorithm = std::move(*made);
  Algo& a = *algo;
  algos_.push_back(std::move(algo));
  // Keep the latest kKept: drop the oldest finished ones.
  for (auto it = algos_.begin(); algos_.size() > kKept && it != algos_.end();) {
    if ((*it)->status == AlgoStatus::Running) {
      ++it;
      continue;
    }
    std::erase_if(by_child_, [gone = it->get()](const auto& entry) { return entry.second == gone; });
    it = algos_.erase(it);
  }

  carry_out(desk, a, a.algorithm->update(market_of(instrument, *bar, a.start)));
  if (a.algorithm->done()) finish(desk, a, AlgoStatus::Done, {});
  publish_changes(desk);
  return a.id;
}

AlgoDesk::Algo* AlgoDesk::find(std::string_view id) const {
  for (const auto& a : algos_) {
    if (a->id == id) return a.get();
  }
  return nullptr;
}

core::Status AlgoDesk::cancel(Desk& desk, std::string_view id) {
  Algo* algo = find(id);
  if (algo == nullptr) return core::Error(core::ErrorCode::NotFound, fmt::format("unknown algo '{}'", id), "id");
  if (algo->status != AlgoStatus::Running) {
    return core::Error(core::ErrorCode::InvalidState, fmt::format("algo {} is {}", id, to_string(algo->status)), "id");
  }
  finish(desk, *algo, AlgoStatus::Canceled, "canceled");
  publish_changes(desk);
  return core::ok();
}

void AlgoDesk::finish(Desk& desk, Algo& algo, AlgoStatus status, std::string reason) {
  algo.status = status;
  algo.reason = std::move(reason);
  algo.dirty = true;
  algo.finished = std::max(desk.now(), algo.last_update);
  // Whatever is still working is canceled (the venue confirms at its next bar; fills until then count).
  std::vector<std::string> open;
  for (const auto& [kernel_id, child] : algo.children) open.push_back(kernel_id);
  for (const auto& kernel_id : open) {
    const model::Order* order = desk.kernel().order(core::ClientOrderId(kernel_id));
    if (order == nullptr || !order->is_open() || algo.cancels_sent.contains(kernel_id)) continue;
    if (desk.kernel().cancel(core::ClientOrderId(kernel_id))) algo.cancels_sent.insert(kernel_id);
  }
}

void AlgoDesk::on_step(Desk& desk) {
  for (const auto& owned : algos_) {
    Algo& algo = *owned;
    if (algo.status != AlgoStatus::Running) continue;
    const auto& bar = desk.last_bar(algo.index);
    if (!bar || (algo.last_bar && bar->ts_event <= *algo.last_bar)) continue;  // no new bar of this instrument
    algo.last_bar = bar->ts_event;
    algo.last_close = bar->close;
    algo.dirty = true;
    const double v = bar->volume.as_double();
    algo.volume += v;
    algo.volume_value += (bar->high.as_double() + bar->low.as_double() + bar->close.as_double()) / 3.0 * v;
    if (desk.kernel().engine().trading_state() == risk::TradingState::Halted) {
      finish(desk, algo, AlgoStatus::Failed, "trading HALTED while the algo was running");
      continue;
    }
    algo.last_update = std::max(algo.last_update, bar->ts_recv);
    execution::MarketState m = market_of(*desk.instruments()[algo.index], *bar, algo.last_update);
    m.volume = bar->volume.value();
    carry_out(desk, algo, algo.algorithm->update(m));
    if (algo.status != AlgoStatus::Running) continue;
    if (algo.algorithm->done()) {
      const auto& p = algo.algorithm->progress();
      const bool short_of_quantity = p.filled < p.quantity.value();
      if (short_of_quantity && algo.denials > 0) {
        finish(desk, algo, AlgoStatus::Failed,
               fmt::format("ended short after {} risk denials (last: {})", algo.denials, algo.last_denial_code));
      } else {
        finish(desk, algo, AlgoStatus::Done, short_of_quantity ? "ended with a residual" : "");
      }
    }
  }
  publish_changes(desk);
}

void AlgoDesk::carry_out(Desk& desk, Algo& algo, const std::vector<execution::AlgoAction>& actions) {
  system::Kernel& kernel = desk.kernel();
  for (const auto& action : actions) {
    if (action.kind == execution::AlgoAction::Kind::Cancel) {
      bool sent = false;
      for (const auto& [kernel_id, child] : algo.children) {
        if (child != action.cancel_id) continue;
        const model::Order* order = kernel.order(core::ClientOrderId(kernel_id));
        if (order != nullptr && order->is_open()) sent = static_cast<bool>(kernel.cancel(core::ClientOrderId(kernel_id)));
        if (sent) algo.cancels_sent.insert(kernel_id);
        break;
      }
      // Nothing open to cancel (already closed, or never reached the venue): it is not working.
      if (!sent) algo.algorithm->on_child_closed(action.cancel_id);
      continue;
    }
    submitting_ = &algo;
    submitting_child_ = action.child.client_order_id;
    const std::int64_t denied_before = kernel.denied_orders();
    auto id = kernel.submit(action.child);
    submitting_ = nullptr;
    if (!id) {
      if (kernel.denied_orders() == denied_before) {
        // Refused before the risk engine (malformed spec): counted like a denial, nothing is working.
        ++algo.denials;
        algo.last_denial_code = "SUBMIT_FAILED";
        algo.last_denial_message = id.error().message();
      } else if (desk.metrics() != nullptr) {
        desk.metrics()->order_denied(risk::to_string(kernel.last_denial().reason));
      }
      algo.algorithm->on_child_closed(action.child.client_order_id);
      continue;
    }
    if (desk.metrics() != nullptr) desk.metrics()->order_submitted();
    if (!algo.children.contains(id->value())) {  // no event named it during submit()
      algo.children.emplace(id->value(), action.child.client_order_id);
      by_child_[id->value()] = &algo;
    }
    const model::Order* order = kernel.order(*id);
    if (order != nullptr && order->is_closed()) {
      by_child_.erase(id->value());
      algo.algorithm->on_child_closed(action.child.client_order_id);
    }
    if (algo.denials >= kMaxDenials && algo.status == AlgoStatus::Running) {
      finish(desk, algo, AlgoStatus::Failed, fmt::format("stopped after {} risk denials", algo.denials));
      return;
    }
  }
  if (algo.denials >= kMaxDenials && algo.status == AlgoStatus::Running) {
    finish(desk, algo, AlgoStatus::Failed, fmt::format("stopped after {} risk denials", algo.denials));
  }
}

void AlgoDesk::on_order_event(Desk& desk, const model::OrderEvent& event) {
  const model::OrderEventBase& base = model::event_base(event);
  const std::string& kernel_id = base.client_order_id.value();
  Algo* algo = nullptr;
  if (const auto it = by_child_.find(kernel_id); it != by_child_.end()) {
    algo = it->second;
  } else if (submitting_ != nullptr && base.strategy_id.value() == submitting_->id) {
    // The first event of a child, raised inside kernel.submit(): bind the kernel's id to the child.
    algo = submitting_;
    algo->children.emplace(kernel_id, submitting_child_);
    by_child_[kernel_id] = algo;
  } else {
    return;
  }
  const core::ClientOrderId child = algo->children.at(kernel_id);
  algo->dirty = true;
  if (const auto* denied = std::get_if<model::OrderDenied>(&event)) {
    ++algo->denials;
    algo->last_denial_code = denied->reason_code;
    algo->last_denial_message = denied->message;
  }
  if (const auto* filled = std::get_if<model::OrderFilled>(&event)) {
    algo->fills.push_back(filled->fill);
    model::Fill mine = filled->fill;
    mine.client_order_id = child;
    algo->algorithm->on_child_fill(mine);
  }
  const model::Order* order = desk.kernel().order(base.client_order_id);
  if (order == nullptr || order->is_closed()) {
    by_child_.erase(kernel_id);
    algo->algorithm->on_child_closed(child);
  }
}

Json AlgoDesk::view_of(const Desk& desk, const Algo& algo) const {
  const model::Instrument& instrument = *algo.request.instrument;
  const execution::AlgoProgress& p = algo.algorithm->progress();
  const Decimal quantity = p.quantity.value();
  const Decimal remaining = quantity - p.filled;
  const int price_scale = std::min(Decimal::kMaxScale, instrument.price_precision() + 2);

  Json quality{{"arrival_price", p.arrival_price ? Json(jv::decimal_text(p.arrival_price->value())) : Json(nullptr)},
               {"average_price", nullptr},
               {"slippage_bps", nullptr},
               {"market_vwap", nullptr},
               {"vwap_slippage_bps", nullptr},
               {"participation_rate", algo.volume > 0 ? Json(p.filled.to_double() / algo.volume) : Json(nullptr)},
               {"fees", jv::decimal_text(p.fees)},
               {"fees_bps", nullptr},
               {"total_cost_bps", nullptr},
               {"opportunity_cost_bps", nullptr},
               {"shortfall_bps", nullptr},
               {"fill_rate", ratio(p.filled, quantity)},
               {"market_volume", algo.volume}};
  if (p.filled.is_positive()) quality["average_price"] = jv::decimal_text(p.fill_value.div(p.filled, price_scale));
  const std::optional<double> vwap =
      algo.volume > 0 ? std::optional<double>(algo.volume_value / algo.volume) : std::nullopt;
  quality["market_vwap"] = number_or_null(vwap);
  if (p.arrival_price && p.arrival_price->is_positive()) {
    execution::ExecutionQualityInputs in;
    in.instrument = &instrument;
    in.side = algo.request.side;
    in.parent_quantity = p.quantity;
    in.arrival_price = *p.arrival_price;
    in.fills = algo.fills;
    in.child_orders = p.children;
    in.market_vwap = vwap;
    in.residual_price = algo.last_close;
    if (auto q = execution::measure_execution(in)) {
      quality["slippage_bps"] = number_or_null(q->arrival_slippage_bps);
      quality["vwap_slippage_bps"] = number_or_null(q->vwap_deviation_bps);
      quality["fees_bps"] = number_or_null(q->fees_bps);
      quality["total_cost_bps"] = number_or_null(q->total_cost_bps);
      quality["opportunity_cost_bps"] = number_or_null(q->opportunity_cost_bps);
      quality["shortfall_bps"] = number_or_null(q->shortfall_bps);
    }
  }

  Json params{{"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(algo.request.duration).count()},
              {"urgency", algo.request.pricing == execution::ChildPricing::Passive ? "PASSIVE" : "AGGRESSIVE"},
              {"limit_price", algo.request.limit_price ? Json(jv::decimal_text(algo.request.limit_price->value()))
                                                       : Json(nullptr)}};
  if (algo.request.slices) params["slices"] = *algo.request.slices;
  if (algo.request.participation) params["participation"] = *algo.request.participation;
  if (algo.request.display_quantity) params["display_quantity"] = jv::decimal_text(algo.request.display_quantity->value());
  (void)desk;
  return Json{{"id", algo.id},
              {"algorithm", std::string(to_string(algo.request.kind))},
              {"symbol", std::string(instrument.id().symbol())},
              {"instrument_id", instrument.id().value()},
              {"side", std::string(model::to_string(algo.request.side))},
              {"quantity", jv::decimal_text(quantity)},
              {"filled", jv::decimal_text(p.filled)},
              {"working", jv::decimal_text(p.working)},
              {"remaining", jv::decimal_text(remaining)},
              {"schedule_target", jv::decimal_text(p.scheduled)},
              {"progress", ratio(p.filled, quantity)},
              {"schedule_progress", ratio(p.scheduled, quantity)},
              {"residual", jv::decimal_text(p.residual)},
              {"status", std::string(to_string(algo.status))},
              {"reason", algo.reason.empty() ? Json(nullptr) : Json(algo.reason)},
              {"start", jv::time_text(algo.start)},
              {"start_ms", algo.start.millis()},
              {"end", jv::time_text(algo.end)},
              {"end_ms", algo.end.millis()},
              {"finished", algo.finished ? Json(jv::time_text(*algo.finished)) : Json(nullptr)},
              {"updated", jv::time_text(algo.last_update)},
              {"children", p.children},
              {"denials", algo.denials},
              {"last_denial", algo.denials > 0 ? Json{{"code", algo.last_denial_code}, {"message", algo.last_denial_message}}
                                               : Json(nullptr)},
              {"created_by", algo.request.user},
              {"params", std::move(params)},
              {"quality", std::move(quality)}};
}

Json AlgoDesk::view(const Desk& desk, std::string_view id) const {
  const Algo* algo = find(id);
  return algo != nullptr ? view_of(desk, *algo) : Json(nullptr);
}

Json AlgoDesk::list(const Desk& desk) const {
  Json out = Json::array();
  for (auto it = algos_.rbegin(); it != algos_.rend(); ++it) out.push_back(view_of(desk, **it));
  return out;
}

void AlgoDesk::publish_changes(Desk& desk) {
  for (const auto& owned : algos_) {
    Algo& algo = *owned;
    if (!algo.dirty) continue;
    algo.dirty = false;
    Json view = view_of(desk, algo);
    std::string text = view.dump();
    if (text == algo.published) continue;
    algo.published = text;
    desk.publish("orders", Json{{"type", "algo"}, {"data", std::move(view)}}.dump());
  }
}

}  // namespace ballast::server
