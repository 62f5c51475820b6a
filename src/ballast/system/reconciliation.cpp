// Kernel::reconcile and the kernel's handling of orders it did not issue (reconciliation.hpp, kernel.hpp).
#include "ballast/system/reconciliation.hpp"

#include "ballast/core/log.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/system/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ballast::system {

using core::Decimal;
using core::UnixNanos;

namespace {

constexpr model::detail::EnumNames<CorrectionKind, 6> kCorrectionKinds{{
    {CorrectionKind::OrderAdopted, "ORDER_ADOPTED"},
    {CorrectionKind::OrderUpdated, "ORDER_UPDATED"},
    {CorrectionKind::OrderClosed, "ORDER_CLOSED"},
    {CorrectionKind::FillRecovered, "FILL_RECOVERED"},
    {CorrectionKind::PositionCorrected, "POSITION_CORRECTED"},
    {CorrectionKind::UnknownInstrument, "UNKNOWN_INSTRUMENT"},
}};

const core::StrategyId& external_strategy() {
  static const core::StrategyId id("EXTERNAL");
  return id;
}

std::string trade_key(const core::InstrumentId& instrument, const core::TradeId& trade) {
  return instrument.value() + "|" + trade.value();
}

std::string venue_order_key(const core::InstrumentId& instrument, const core::VenueOrderId& venue_order) {
  return instrument.value() + "|" + venue_order.value();
}

std::string text(const Decimal& d) {
  return d.to_string_trimmed();
}
std::string text(const model::Quantity& q) {
  return q.value().to_string_trimmed();
}
std::string text(const model::Price& p) {
  return p.value().to_string_trimmed();
}
std::string text(const std::optional<model::Price>& p) {
  return p ? text(*p) : std::string("none");
}

// "0.2 @ 29000", or "flat" for a zero position.
std::string position_text(const Decimal& quantity, const Decimal& avg) {
  return quantity.is_zero() ? std::string("flat") : fmt::format("{} @ {}", text(quantity), text(avg));
}

// The venue order id an event carries, when it carries one.
std::optional<core::VenueOrderId> venue_order_of(const model::OrderEvent& event) {
  return std::visit(
      [](const auto& e) -> std::optional<core::VenueOrderId> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, model::OrderAccepted>) {
          return e.venue_order_id;
        } else if constexpr (std::is_same_v<E, model::OrderFilled>) {
          if (e.fill.venue_order_id.empty()) return std::nullopt;
          return e.fill.venue_order_id;
        } else if constexpr (std::is_same_v<E, model::OrderCanceled> || std::is_same_v<E, model::OrderExpired> ||
                             std::is_same_v<E, model::OrderUpdated>) {
          return e.venue_order_id;
        } else {
          return std::nullopt;
        }
      },
      event);
}

// The same event for the order `id` (an adopted order the venue reports under another client id).
model::OrderEvent readdressed(const model::OrderEvent& event, const model::Order& order) {
  model::OrderEvent copy = event;
  std::visit(
      [&order](auto& e) {
        e.client_order_id = order.client_order_id();
        e.strategy_id = order.strategy_id();
        e.account_id = order.account_id();
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, model::OrderFilled>) {
          e.fill.client_order_id = order.client_order_id();
          e.fill.account_id = order.account_id();
        }
      },
      copy);
  return copy;
}

template <class E>
E event_for(const model::Order& order, UnixNanos ts) {
  E e;
  e.client_order_id = order.client_order_id();
  e.strategy_id = order.strategy_id();
  e.account_id = order.account_id();
  e.instrument_id = order.instrument_id();
  e.ts_event = ts;
  e.ts_init = ts;
  return e;
}

bool has_trade(const model::Order& order, const core::TradeId& trade) {
  const auto& ids = order.trade_ids();
  return std::find(ids.begin(), ids.end(), trade) != ids.end();
}

}  // namespace

std::string_view to_string(CorrectionKind kind) noexcept {
  return model::detail::enum_to_string(kCorrectionKinds, kind);
}

core::Result<CorrectionKind> parse_correction_kind(std::string_view text) {
  return model::detail::enum_parse(kCorrectionKinds, text, "CorrectionKind");
}

std::size_t ReconciliationReport::count(CorrectionKind kind) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(corrections.begin(), corrections.end(), [kind](const auto& c) { return c.kind == kind; }));
}

// ---- one reconciliation of one venue ---------------------------------------------------------------------

class Kernel::ReconcileRun {
 public:
  ReconcileRun(Kernel& kernel, const core::VenueId& venue, const ReconcileInputs& inputs)
      : k_(kernel), venue_(venue), inputs_(inputs), now_(kernel.clock_->now()) {
    report_.venue = venue;
    report_.ts = now_;
  }

  core::Result<ReconciliationReport> run(runtime::ExecutionClient& client) {
    // Every query first: an error leaves the kernel untouched.
    // The message names the venue and the query (hosts log the message); where() keeps the client's.
    const auto failed = [this](std::string_view query, const core::Error& e) {
      return core::Error(e.code(), fmt::format("reconcile {}: {} failed: {}", venue_.value(), query, e.message()),
                         e.where().empty() ? std::string(query) : fmt::format("{}:{}", query, e.where()));
    };
    auto orders = client.query_open_orders(std::nullopt);
    if (!orders) return failed("query_open_orders", orders.error());
    auto fills = client.query_fills_since(inputs_.fills_since);
    if (!fills) return failed("query_fills_since", fills.error());
    auto positions = client.query_positions();
    if (!positions) return failed("query_positions", positions.error());
    report_.venue_open_orders = orders->size();
    report_.venue_fills = fills->size();
    report_.venue_positions = positions->size();

    index_orders();
    select_fills(*fills);
    for (const auto& r : *orders) match_order(r);
    for (const model::Fill* f : pending_fills_) apply_fill(*f);
    for (const auto& [report, order] : matched_) update_terms(*report, *order);
    close_unlisted();
    correct_positions(*positions);
    return std::move(report_);
  }

 private:
  bool of_venue(const core::InstrumentId& instrument) const { return instrument.venue_name() == venue_.value(); }

  void correct(CorrectionKind kind, const core::InstrumentId& instrument, std::optional<core::ClientOrderId> client_id,
               std::optional<core::VenueOrderId> venue_id, std::optional<core::TradeId> trade, std::string detail) {
    ReconciliationCorrection c{
        kind, venue_, instrument, std::move(client_id), std::move(venue_id), std::move(trade), std::move(detail), now_};
    core::logger().info("kernel: reconciliation of {}: {} {}: {}", venue_.value(), to_string(kind), instrument.value(),
                        c.detail);
    if (k_.reconciliation_observer_) k_.reconciliation_observer_(c);
    report_.corrections.push_back(std::move(c));
  }

  void warn(std::string message) {
    core::logger().warn("kernel: reconciliation of {}: {}", venue_.value(), message);
    report_.warnings.push_back(std::move(message));
  }

  // The venue's orders by venue order id (an open one wins over a closed one) and the trade ids of their
  // fills (whichever order took them).
  void index_orders() {
    for (auto& [id, order] : k_.orders_) {
      if (!of_venue(order->instrument_id())) continue;
      for (const auto& t : order->trade_ids()) order_trades_.insert(trade_key(order->instrument_id(), t));
      if (!order->venue_order_id()) continue;
      model::Order*& indexed = by_venue_order_[venue_order_key(order->instrument_id(), *order->venue_order_id())];
      if (indexed == nullptr || !indexed->is_open()) indexed = order.get();
    }
  }

  // The kernel's order for a venue report or fill: by client order id, else by venue order id; an open
  // order before a closed one (a closed order's venue order may have been adopted again under EXT-…).
  model::Order* find(const std::optional<core::ClientOrderId>& client_id, const core::InstrumentId& instrument,
                     const core::VenueOrderId& venue_order) {
    model::Order* by_client = nullptr;
    if (client_id && !client_id->empty()) {
      const auto it = k_.orders_.find(client_id->value());
      if (it != k_.orders_.end() && it->second->instrument_id() == instrument) {
        // An id reused by an unrelated venue order is not this order.
        const auto& known = it->second->venue_order_id();
        if (!known || venue_order.empty() || *known == venue_order) by_client = it->second.get();
      }
    }
    if (by_client != nullptr && by_client->is_open()) return by_client;
    if (!venue_order.empty()) {
      const auto it = by_venue_order_.find(venue_order_key(instrument, venue_order));
      if (it != by_venue_order_.end() && (by_client == nullptr || it->second->is_open())) return it->second;
    }
    return by_client;
  }

  // Fills to apply: not recorded by the host, not applied in this session, not repeated in the list.
  void select_fills(const std::vector<model::Fill>& fills) {
    std::unordered_set<std::string> seen;
    for (const auto& f : fills) {
      if (!of_venue(f.instrument_id)) {
        warn(fmt::format("fill {} is for {}, not venue {}: ignored", f.trade_id.value(), f.instrument_id.value(),
                         venue_.value()));
        continue;
      }
      const std::string key = trade_key(f.instrument_id, f.trade_id);
      const bool recorded = inputs_.already_recorded && inputs_.already_recorded(f);
      const bool identified = !f.trade_id.empty();
      const bool applied = identified && (k_.external_trade_ids_.contains(key) || order_trades_.contains(key));
      if (recorded || applied || (identified && !seen.insert(key).second)) {
        ++report_.fills_skipped;
        continue;
      }
      pending_fills_.push_back(&f);
    }
  }

  // The fills about to be applied that belong to a venue order.
  Decimal pending_fill_quantity(const runtime::OrderStatusReport& r) const {
    Decimal sum{};
    for (const model::Fill* f : pending_fills_) {
      if (f->instrument_id != r.instrument_id) continue;
      const bool by_venue_id = !f->venue_order_id.empty() && f->venue_order_id == r.venue_order_id;
      const bool by_client_id =
          f->venue_order_id.empty() && r.client_order_id && f->client_order_id == *r.client_order_id;
      if (by_venue_id || by_client_id) sum += f->last_qty.value();
    }
    return sum;
  }

  void match_order(const runtime::OrderStatusReport& r) {
    if (!of_venue(r.instrument_id)) {
      warn(fmt::format("open order {} is for {}, not venue {}: ignored", r.venue_order_id.value(),
                       r.instrument_id.value(), venue_.value()));
      return;
    }
    model::Order* order = find(r.client_order_id, r.instrument_id, r.venue_order_id);
    if (order != nullptr && order->is_open()) {
      listed_.insert(order->client_order_id().value());
      matched_.emplace_back(&r, order);
      if (order->status() == model::OrderStatus::Submitted || !order->venue_order_id()) acknowledge(r, *order);
      return;
    }
    adopt(r, order);
  }

  // A known order whose acknowledgement never arrived.
  void acknowledge(const runtime::OrderStatusReport& r, model::Order& order) {
    if (r.venue_order_id.empty()) return;
    const model::OrderStatus before = order.status();
    auto accepted = event_for<model::OrderAccepted>(order, now_);
    accepted.venue_order_id = r.venue_order_id;
    k_.on_order_event(accepted);
    if (!order.venue_order_id()) return;  // refused (logged by the kernel)
    by_venue_order_[venue_order_key(order.instrument_id(), r.venue_order_id)] = &order;
    correct(CorrectionKind::OrderUpdated, order.instrument_id(), order.client_order_id(), r.venue_order_id,
            std::nullopt,
            fmt::format("acknowledgement recovered: {} → {} (venue order id {})", model::to_string(before),
                        model::to_string(order.status()), r.venue_order_id.value()));
  }

  // A venue order the kernel does not know (or knows only as closed): a working order of strategy EXTERNAL.
  void adopt(const runtime::OrderStatusReport& r, const model::Order* closed) {
    const std::string_view venue_order = r.venue_order_id.value();
    if (!k_.book_->find(r.instrument_id)) {
      correct(CorrectionKind::UnknownInstrument, r.instrument_id, r.client_order_id, r.venue_order_id, std::nullopt,
              fmt::format("venue order {} ({} {} {}) is in {}, for which the kernel has no instrument: not adopted",
                          venue_order, model::to_string(r.side), model::to_string(r.type), text(r.quantity),
                          r.instrument_id.value()));
      return;
    }
    if (!model::is_open(r.status)) {
      warn(fmt::format("venue order {} is listed as open with status {}: not adopted", venue_order,
                       model::to_string(r.status)));
      return;
    }
    if (r.filled_qty > r.quantity) {
      warn(fmt::format("venue order {} reports filled {} above its quantity {}: not adopted", venue_order,
                       text(r.filled_qty), text(r.quantity)));
      return;
    }
    const Decimal unfilled = r.quantity.value() - r.filled_qty.value();
    const Decimal replayed = std::min(pending_fill_quantity(r), r.filled_qty.value());
    const Decimal quantity = replayed + unfilled;
    if (!quantity.is_positive()) {
      warn(fmt::format("venue order {} has nothing left to trade: not adopted", venue_order));
      return;
    }
    // An order an earlier session issued keeps its client order id and strategy.
    std::optional<ReconcileInputs::EarlierOrder> earlier;
    if (r.client_order_id && !r.client_order_id->empty() && inputs_.issued_earlier) {
      earlier = inputs_.issued_earlier(*r.client_order_id);
      if (earlier && (earlier->client_order_id.empty() || k_.orders_.contains(earlier->client_order_id.value()))) {
        earlier.reset();
      }
    }
    // Else the venue's client order id when the kernel does not use it for another order.
    std::string id = "EXT-" + std::string(venue_order);
    if (earlier) {
      id = earlier->client_order_id.value();
    } else if (r.client_order_id && !r.client_order_id->empty() &&
               !k_.orders_.contains(r.client_order_id->value())) {
      id = r.client_order_id->value();
    }
    if (k_.orders_.contains(id)) {
      warn(fmt::format("venue order {}: the client order id {} is taken by another order: not adopted", venue_order,
                       id));
      return;
    }
    model::OrderSpec spec;
    spec.client_order_id = core::ClientOrderId(id);
    spec.strategy_id = earlier ? earlier->strategy_id : external_strategy();
    spec.account_id = k_.config_.account_id;
    spec.instrument_id = r.instrument_id;
    spec.side = r.side;
    spec.type = r.type;
    spec.quantity = model::Quantity(quantity);
    const bool has_price = r.type == model::OrderType::Limit || r.type == model::OrderType::StopLimit ||
                           r.type == model::OrderType::TakeProfit;
    const bool has_trigger = r.type != model::OrderType::Market && r.type != model::OrderType::Limit;
    if (has_price) spec.price = r.price;
    if (has_trigger) spec.trigger_price = r.trigger_price;
    spec.time_in_force = model::TimeInForce::Gtc;
    spec.ts_init = now_;
    auto created = model::Order::create(spec);
    if (!created) {
      warn(
          fmt::format("venue order {} cannot be represented: {}: not adopted", venue_order, created.error().message()));
      return;
    }
    model::Order& order = k_.hold(id, std::move(*created), now_);
    // SUBMITTED only locally (a live stream reports an outside order from its acceptance on; the reject-rate
    // meter must not count it as one of ours), then ACCEPTED through the whole event path.
    (void)order.apply(event_for<model::OrderSubmitted>(order, now_));
    k_.open_order_ids_.add(id);
    const std::string key = venue_order_key(r.instrument_id, r.venue_order_id);
    k_.adopted_by_venue_order_[key] = id;
    k_.adopted_orders_.insert(id);
    by_venue_order_[key] = &order;
    auto accepted = event_for<model::OrderAccepted>(order, now_);
    accepted.venue_order_id = r.venue_order_id;
    k_.on_order_event(accepted);
    listed_.insert(id);
    std::string detail = fmt::format(
        "{} venue order {} ({}) as {}: {} {} {}{}{}, status {}, filled {} of {} at the venue",
        earlier ? fmt::format("restored (issued by an earlier session, strategy {})", earlier->strategy_id.value())
                : std::string("adopted"),
        venue_order,
        r.client_order_id ? "client order id " + r.client_order_id->value() : std::string("no client order id"), id,
        model::to_string(r.side), model::to_string(r.type), text(r.quantity),
        spec.price ? " @ " + text(*spec.price) : std::string(),
        spec.trigger_price ? " trigger " + text(*spec.trigger_price) : std::string(), model::to_string(r.status),
        text(r.filled_qty), text(r.quantity));
    if (closed != nullptr) {
      detail +=
          fmt::format("; Ballast had {} as {}", closed->client_order_id().value(), model::to_string(closed->status()));
    }
    if (replayed < r.filled_qty.value()) {
      detail += fmt::format("; {} filled outside the fills window is not replayed: adopted quantity {}",
                            text(r.filled_qty.value() - replayed), text(quantity));
    }
    correct(CorrectionKind::OrderAdopted, r.instrument_id, order.client_order_id(), r.venue_order_id, std::nullopt,
            std::move(detail));
  }

  static bool can_take(const model::Order& order, const model::Fill& f) {
    if (!order.is_open() || order.side() != f.side) return false;
    if (!f.last_qty.is_positive() || !f.last_px.is_positive()) return false;
    if (!f.venue_order_id.empty() && order.venue_order_id() && *order.venue_order_id() != f.venue_order_id)
      return false;
    return order.filled_qty() + f.last_qty <= order.quantity();
  }

  void apply_fill(const model::Fill& f) {
    const auto slot = k_.book_->find(f.instrument_id);
    if (!slot) {
      correct(CorrectionKind::UnknownInstrument, f.instrument_id,
              f.client_order_id.empty() ? std::nullopt : std::optional(f.client_order_id),
              f.venue_order_id.empty() ? std::nullopt : std::optional(f.venue_order_id), f.trade_id,
              fmt::format("fill {} ({} {} @ {}) is in {}, for which the kernel has no instrument: not applied",
                          f.trade_id.value(), model::to_string(f.side), text(f.last_qty), text(f.last_px),
                          f.instrument_id.value()));
      return;
    }
    const Decimal position_before = k_.book_->slot(*slot).quantity;
    model::Order* order = find(f.client_order_id.empty() ? std::nullopt : std::optional(f.client_order_id),
                               f.instrument_id, f.venue_order_id);
    if (order != nullptr && can_take(*order, f)) {
      const model::Quantity filled_before = order->filled_qty();
      auto event = event_for<model::OrderFilled>(*order, f.ts_event);
      event.ts_init = now_;
      event.fill = f;
      event.fill.client_order_id = order->client_order_id();
      event.fill.account_id = order->account_id();
      k_.on_order_event(event);
      if (has_trade(*order, f.trade_id)) {
        correct(CorrectionKind::FillRecovered, f.instrument_id, order->client_order_id(),
                f.venue_order_id.empty() ? order->venue_order_id() : std::optional(f.venue_order_id), f.trade_id,
                fmt::format("fill {}: {} {} @ {} of {} (filled {} → {} of {}, {}); position {} → {}",
                            f.trade_id.value(), model::to_string(f.side), text(f.last_qty), text(f.last_px),
                            order->client_order_id().value(), text(filled_before), text(order->filled_qty()),
                            text(order->quantity()), model::to_string(order->status()), text(position_before),
                            text(k_.book_->slot(*slot).quantity)));
        return;
      }
    }
    // No open order can take it: the book still must.
    model::OrderFilled event;
    event.client_order_id =
        order != nullptr ? order->client_order_id()
        : !f.client_order_id.empty()
            ? f.client_order_id
            : core::ClientOrderId("EXT-" + (f.venue_order_id.empty() ? f.trade_id.value() : f.venue_order_id.value()));
    event.strategy_id = order != nullptr ? order->strategy_id() : external_strategy();
    event.account_id = k_.config_.account_id;
    event.instrument_id = f.instrument_id;
    event.ts_event = f.ts_event;
    event.ts_init = now_;
    event.fill = f;
    event.fill.client_order_id = event.client_order_id;
    if (!k_.apply_external_fill(event)) return;
    const std::string why =
        order != nullptr
            ? fmt::format("order {} is {} with {} of {} filled", order->client_order_id().value(),
                          model::to_string(order->status()), text(order->filled_qty()), text(order->quantity()))
            : std::string("no open order of Ballast's");
    correct(CorrectionKind::FillRecovered, f.instrument_id, event.client_order_id,
            f.venue_order_id.empty() ? std::nullopt : std::optional(f.venue_order_id), f.trade_id,
            fmt::format("fill {}: {} {} @ {} ({}): applied to the book only; position {} → {}", f.trade_id.value(),
                        model::to_string(f.side), text(f.last_qty), text(f.last_px), why, text(position_before),
                        text(k_.book_->slot(*slot).quantity)));
  }

  // A known order the venue lists with other terms (an amendment or fills Ballast did not see).
  void update_terms(const runtime::OrderStatusReport& r, model::Order& order) {
    if (!order.is_open() || order.status() == model::OrderStatus::Submitted) return;
    if (r.filled_qty > r.quantity) return;
    const model::Quantity venue_unfilled = r.quantity - r.filled_qty;
    const bool price_differs = r.price && order.price() && *r.price != *order.price();
    const bool trigger_differs = r.trigger_price && order.trigger_price() && *r.trigger_price != *order.trigger_price();
    if (order.leaves_qty() == venue_unfilled && !price_differs && !trigger_differs) return;
    const model::Quantity total = order.filled_qty() + venue_unfilled;
    if (!total.is_positive()) return;
    const model::Quantity quantity_before = order.quantity();
    const model::Quantity leaves_before = order.leaves_qty();
    const std::optional<model::Price> price_before = order.price();
    const std::optional<model::Price> trigger_before = order.trigger_price();
    auto updated = event_for<model::OrderUpdated>(order, now_);
    updated.venue_order_id = r.venue_order_id.empty() ? order.venue_order_id() : std::optional(r.venue_order_id);
    updated.quantity = total;
    if (price_differs) updated.price = r.price;
    if (trigger_differs) updated.trigger_price = r.trigger_price;
    k_.on_order_event(updated);
    if (order.quantity() != total) {
      warn(fmt::format("order {}: the venue's terms could not be applied (status {})", order.client_order_id().value(),
                       model::to_string(order.status())));
      return;
    }
    std::string detail =
        fmt::format("venue terms: quantity {} → {} (filled {}, unfilled {} → {})", text(quantity_before),
                    text(order.quantity()), text(order.filled_qty()), text(leaves_before), text(order.leaves_qty()));
    if (price_differs) detail += fmt::format(", price {} → {}", text(price_before), text(order.price()));
    if (trigger_differs) detail += fmt::format(", trigger {} → {}", text(trigger_before), text(order.trigger_price()));
    if (r.filled_qty > order.filled_qty()) {
      detail += fmt::format("; the venue reports {} filled, {} of it outside the fills window", text(r.filled_qty),
                            text(r.filled_qty - order.filled_qty()));
    }
    correct(CorrectionKind::OrderUpdated, order.instrument_id(), order.client_order_id(), order.venue_order_id(),
            std::nullopt, std::move(detail));
  }

  // Open orders of the venue it no longer lists, and that the recovered fills did not complete.
  void close_unlisted() {
    const std::vector<std::string> ids = k_.open_order_ids_.ids();
    for (const auto& id : ids) {
      model::Order& order = *k_.orders_.at(id);
      if (!order.is_open() || !of_venue(order.instrument_id()) || listed_.contains(id)) continue;
      const model::OrderStatus before = order.status();
      auto canceled = event_for<model::OrderCanceled>(order, now_);
      canceled.venue_order_id = order.venue_order_id();
      k_.closed_by_reconciliation_.insert(id);
      k_.on_order_event(canceled);
      if (order.status() != model::OrderStatus::Canceled) {
        warn(fmt::format("order {} ({}) is not listed by the venue but could not be closed", id,
                         model::to_string(before)));
        continue;
      }
      correct(
          CorrectionKind::OrderClosed, order.instrument_id(), order.client_order_id(), order.venue_order_id(),
          std::nullopt,
          fmt::format("closed by reconciliation: the venue no longer has the order ({}, filled {} of {}) → CANCELED",
                      model::to_string(before), text(order.filled_qty()), text(order.quantity())));
    }
  }

  void correct_positions(const std::vector<runtime::PositionStatusReport>& positions) {
    std::unordered_set<portfolio::SlotIndex> seen;
    for (const auto& p : positions) {
      if (!of_venue(p.instrument_id)) {
        warn(fmt::format("position in {} is not of venue {}: ignored", p.instrument_id.value(), venue_.value()));
        continue;
      }
      const auto slot = k_.book_->find(p.instrument_id);
      if (!slot) {
        correct(CorrectionKind::UnknownInstrument, p.instrument_id, std::nullopt, std::nullopt, std::nullopt,
                fmt::format("venue position {} in {}: the kernel has no instrument for it; not tracked",
                            position_text(p.quantity, p.avg_px_open ? p.avg_px_open->value() : Decimal{}),
                            p.instrument_id.value()));
        continue;
      }
      seen.insert(*slot);
      const portfolio::InstrumentSlot& s = k_.book_->slot(*slot);
      if (s.quantity == p.quantity) continue;
      std::optional<Decimal> avg;
      if (p.avg_px_open && p.avg_px_open->is_positive()) {
        avg = p.avg_px_open->value();
      } else if (s.avg_entry.is_positive() && s.quantity.is_negative() == p.quantity.is_negative()) {
        avg = s.avg_entry;  // the venue gave none: keep Ballast's entry on the same side
      } else if (s.has_mark && s.mark.is_positive()) {
        avg = s.mark.value();
      }
      if (!p.quantity.is_zero() && !avg) {
        warn(fmt::format("position {} in {} has no average price and no mark to value it: not corrected",
                         text(p.quantity), p.instrument_id.value()));
        continue;
      }
      set_position(*slot, p.quantity, avg.value_or(Decimal{}), p.avg_px_open ? "" : " (no venue average price)");
    }
    for (portfolio::SlotIndex i = 0; i < k_.book_->size(); ++i) {
      const portfolio::InstrumentSlot& s = k_.book_->slot(i);
      if (seen.contains(i) || s.quantity.is_zero() || !of_venue(s.instrument->id())) continue;
      set_position(i, Decimal{}, Decimal{}, "");
    }
  }

  void set_position(portfolio::SlotIndex slot, const Decimal& quantity, const Decimal& avg, std::string_view note) {
    const portfolio::InstrumentSlot& s = k_.book_->slot(slot);
    const std::string before = position_text(s.quantity, s.avg_entry);
    k_.monitor_->settle();  // the book changes outside the monitor
    if (auto set = k_.book_->set_position(slot, quantity, avg); !set) {
      warn(fmt::format("position in {} not corrected: {}", s.instrument->id().value(), set.error().message()));
      return;
    }
    // The monitor keeps margins and breaker measures per slot: re-marking at the same price re-measures them.
    if (s.has_mark) {
      if (auto m = k_.monitor_->on_mark_price(slot, s.mark); !m) k_.engine_->refresh_exposure(slot);
    } else {
      k_.engine_->refresh_exposure(slot);
    }
    correct(CorrectionKind::PositionCorrected, s.instrument->id(), std::nullopt, std::nullopt, std::nullopt,
            fmt::format("position: book {} → venue {}{}", before, position_text(s.quantity, s.avg_entry), note));
  }

  Kernel& k_;
  core::VenueId venue_;
  const ReconcileInputs& inputs_;
  UnixNanos now_;
  ReconciliationReport report_{};
  std::unordered_map<std::string, model::Order*> by_venue_order_{};
  std::unordered_set<std::string> order_trades_{};  // "<instrument>|<trade id>" of the venue's orders' fills
  std::vector<const model::Fill*> pending_fills_{};
  std::vector<std::pair<const runtime::OrderStatusReport*, model::Order*>> matched_{};
  std::unordered_set<std::string> listed_{};  // client ids of kernel orders the venue lists
};

// ---- kernel ----------------------------------------------------------------------------------------------

core::Result<ReconciliationReport> Kernel::reconcile(const core::VenueId& venue, const ReconcileInputs& inputs) {
  const auto it = clients_.find(venue.value());
  if (it == clients_.end()) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("reconcile: no execution client for venue {}", venue.value()), "venue");
  }
  ReconcileRun pass(*this, venue, inputs);
  auto report = pass.run(*it->second);
  if (!report) {
    mark_needs_reconciliation(venue);
    return report.error();
  }
  unreconciled_venues_.erase(venue.value());
  core::logger().info("kernel: venue {} reconciled: {} open order(s), {} fill(s), {} position(s), {} correction(s)",
                      venue.value(), report->venue_open_orders, report->venue_fills, report->venue_positions,
                      report->corrections.size());
  return report;
}

core::Result<std::vector<ReconciliationReport>> Kernel::reconcile_pending(const ReconcileInputs& inputs) {
  std::vector<ReconciliationReport> reports;
  std::optional<core::Error> first_error;
  const std::vector<std::string> venues(unreconciled_venues_.begin(), unreconciled_venues_.end());
  for (const auto& venue : venues) {
    const auto it = clients_.find(venue);
    if (it == clients_.end() || !it->second->is_connected()) continue;
    auto report = reconcile(core::VenueId(venue), inputs);
    if (!report) {
      if (!first_error) first_error = report.error();
      continue;
    }
    reports.push_back(std::move(*report));
  }
  if (first_error) return *first_error;
  return reports;
}

std::vector<core::VenueId> Kernel::venues_needing_reconciliation() const {
  std::vector<core::VenueId> out;
  out.reserve(unreconciled_venues_.size());
  for (const auto& v : unreconciled_venues_) out.emplace_back(v);
  return out;
}

bool Kernel::needs_reconciliation(const core::VenueId& venue) const {
  return unreconciled_venues_.contains(venue.value());
}

void Kernel::mark_needs_reconciliation(const core::VenueId& venue) {
  unreconciled_venues_.insert(venue.value());
}

core::Status Kernel::check_reconciled(const core::InstrumentId& instrument) const {
  const std::string_view venue = instrument.venue_name();
  if (!unreconciled_venues_.contains(venue)) return core::ok();
  return core::Error(core::ErrorCode::InvalidState,
                     fmt::format("venue {} needs reconciliation (disconnected since its last one): new orders for {} "
                                 "are refused until it is reconciled",
                                 venue, instrument.value()),
                     "instrument_id");
}

bool Kernel::apply_external_fill(const model::OrderFilled& event) {
  // Without a trade id a fill cannot be recognised again: it is applied, and not remembered.
  const bool identified = !event.fill.trade_id.empty();
  const std::string key = identified ? trade_key(event.fill.instrument_id, event.fill.trade_id) : std::string();
  if (identified && external_trade_ids_.contains(key)) {
    core::logger().debug("kernel: fill {} of {} was applied already; ignored", event.fill.trade_id.value(),
                         event.client_order_id.value());
    return false;
  }
  if (auto s = monitor_->on_fill(event.fill); !s) {
    core::logger().warn("kernel: fill {} of order {} not applied: {}", event.fill.trade_id.value(),
                        event.client_order_id.value(), s.error().message());
    return false;
  }
  if (identified) external_trade_ids_.insert(key);
  if (observer_) observer_(event);
  return true;
}

void Kernel::on_unknown_order_event(const model::OrderEvent& event) {
  const model::OrderEventBase& base = model::event_base(event);
  if (!adopted_by_venue_order_.empty()) {
    if (const auto venue_order = venue_order_of(event)) {
      const auto it = adopted_by_venue_order_.find(venue_order_key(base.instrument_id, *venue_order));
      if (it != adopted_by_venue_order_.end()) {
        on_order_event(readdressed(event, *orders_.at(it->second)));
        return;
      }
    }
  }
  if (const auto* filled = std::get_if<model::OrderFilled>(&event)) {
    (void)apply_external_fill(*filled);
    return;
  }
  if (observer_) observer_(event);
}

void Kernel::on_refused_fill(const model::OrderEvent& event, const model::Order& order) {
  const auto* filled = std::get_if<model::OrderFilled>(&event);
  if (filled == nullptr || has_trade(order, filled->fill.trade_id)) return;
  // The venue traded an order reconciliation had closed (it was still in flight), or an adopted order beyond
  // what Ballast knows of it: the position changed all the same. Other orders' refusals stay refused.
  if (!adopted_orders_.contains(order.client_order_id().value()) &&
      !closed_by_reconciliation_.contains(order.client_order_id().value())) {
    return;
  }
  (void)apply_external_fill(*filled);
}

}  // namespace ballast::system
