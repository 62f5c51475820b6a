#pragma once
// Reconciliation of one venue with the kernel (Kernel::reconcile, kernel.hpp): the venue's open orders,
// its fills since a time and its positions are read through the venue's ExecutionClient and compared with
// the kernel's orders and the portfolio book; every difference is corrected through the kernel's normal
// event path and reported as one ReconciliationCorrection.
//
// What the venue says wins. The steps, in this order:
//  1. Query open orders, fills since ReconcileInputs::fills_since, positions. A query error returns the
//     error before anything is changed, and the venue stays marked as needing reconciliation.
//  2. Venue open orders the kernel does not know (no client order id, or one it never issued) are ADOPTED:
//     a model::Order under strategy "EXTERNAL" with the venue's client order id, or "EXT-<venue order id>"
//     when it has none (an order an earlier session issued, ReconcileInputs::issued_earlier, keeps its
//     strategy and is "restored"), taken through SUBMITTED → ACCEPTED (the acceptance goes through the risk monitor
//     and the order-event observer, so its working quantity counts in the book and breakers can cancel it).
//     Its quantity is the fills this reconciliation applies to it plus the venue's open (unfilled) quantity:
//     fills before the fills window, or already recorded, are not replayed, so they are not part of it.
//     A known order still SUBMITTED (acknowledgement lost) gets its OrderAccepted.
//  3. Fills (oldest first): a fill that inputs.already_recorded() reports, or that this kernel has applied
//     in this session (by venue trade id: the order's trade ids, or the trade ids of fills without a known
//     order), is skipped. Otherwise it is applied once: as OrderFilled of its order (found by client order
//     id, else by venue order id) while the order can take it, else to the book as a fill without an order.
//  4. Known orders the venue lists whose unfilled quantity, price or trigger price differ get OrderUpdated
//     (new total quantity = the kernel's filled quantity + the venue's unfilled quantity).
//  5. Kernel open orders of the venue that the venue no longer lists, and that the recovered fills did not
//     complete, are closed as CANCELED (OrderCanceled; the correction says reconciliation closed them).
//  6. Positions: every instrument of the venue whose book quantity differs from the venue's signed quantity
//     (absent from the venue's list = flat) is set to the venue's quantity at the venue's average entry
//     price; a venue position in an instrument the kernel has no model::Instrument for is reported
//     (UnknownInstrument), as are venue orders in such instruments.
// Quantities in the detail texts are the exact decimals (trimmed); positions are signed (long > 0).

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/fill.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::system {

// Stable codes: ORDER_ADOPTED, ORDER_UPDATED, ORDER_CLOSED, FILL_RECOVERED, POSITION_CORRECTED,
// UNKNOWN_INSTRUMENT.
enum class CorrectionKind {
  OrderAdopted,
  OrderUpdated,
  OrderClosed,
  FillRecovered,
  PositionCorrected,
  UnknownInstrument
};

std::string_view to_string(CorrectionKind kind) noexcept;
// InvalidArgument naming the text and the valid codes.
core::Result<CorrectionKind> parse_correction_kind(std::string_view text);

struct ReconciliationCorrection {
  CorrectionKind kind{CorrectionKind::OrderUpdated};
  core::VenueId venue{};
  core::InstrumentId instrument{};
  std::optional<core::ClientOrderId> client_order_id{};
  std::optional<core::VenueOrderId> venue_order_id{};
  std::optional<core::TradeId> trade_id{};  // FillRecovered
  std::string detail{};                     // what changed, with the numbers before and after
  core::UnixNanos ts{};                     // the kernel clock when the correction was made
};

struct ReconciliationReport {
  core::VenueId venue{};
  core::UnixNanos ts{};
  // What the venue reported.
  std::size_t venue_open_orders{0};
  std::size_t venue_fills{0};
  std::size_t venue_positions{0};
  // Fills not applied because they were already recorded or already applied in this session.
  std::size_t fills_skipped{0};
  std::vector<ReconciliationCorrection> corrections{};
  // Venue data the kernel could not use (an order it cannot represent, a fill for another venue), with
  // the reason; nothing was changed for them.
  std::vector<std::string> warnings{};

  std::size_t count(CorrectionKind kind) const noexcept;
};

struct ReconcileInputs {
  // Fills are asked for from this time (venue time, inclusive).
  core::UnixNanos fills_since{};
  // True for a fill the host has already stored (applied in an earlier session): it is not applied again.
  // Empty: no fill is considered recorded.
  std::function<bool(const model::Fill&)> already_recorded{};
  // An order that an earlier session of the host issued, looked up by the client order id the venue reports
  // (Binance reports Ballast's id; Hyperliquid its cloid, which the host derives from Ballast's id): the
  // venue order is adopted under the earlier client order id and strategy (its detail says "restored")
  // instead of as EXTERNAL. Empty, or nullopt for an id: adopted as EXTERNAL.
  struct EarlierOrder {
    core::ClientOrderId client_order_id;
    core::StrategyId strategy_id;
  };
  std::function<std::optional<EarlierOrder>(const core::ClientOrderId& reported)> issued_earlier{};
};

// Receives each correction as it is made (a service persists it as an event).
using ReconciliationObserver = std::function<void(const ReconciliationCorrection&)>;

}  // namespace ballast::system
