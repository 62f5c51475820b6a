#pragma once
// PortfolioBook: the live, incrementally maintained state of one margin account in one settlement
// currency — per instrument the signed position, average entry, mark, best bid/ask, working orders and
// margins, and account-wide aggregates (equity, gross/net exposure, margins) kept up to date in O(1) per
// change so the risk engine can read them without iterating positions.
//
// Units and conventions (same as MarginManager, see margin_manager.hpp):
//  - Every amount is a core::Decimal in the settlement currency at its precision (USDT: 8 places).
//  - Position quantity is signed (long > 0, short < 0); notional is signed the same way (a short has a
//    negative notional) and valued at the mark: linear q × mark × multiplier, inverse q × multiplier / mark.
//  - unrealised P&L = side × |q| × multiplier × (mark − entry) (linear), rounded half-even.
//  - initial margin of a position = |notional| / leverage rounded UP; a working order's margin is counted
//    per instrument as the LARGER of the buy-side and sell-side notional at the order prices / leverage
//    (Binance's rule, MarginManager::open_order_margins).
//  - equity = wallet balance + Σ unrealised P&L. Cross wallet = wallet − Σ isolated margin.
//    available margin = cross wallet + Σ unrealised P&L of cross positions − Σ cross initial margin −
//    Σ open-order margin (may be negative).
//  - A slot without a mark yet has notional, P&L and margin 0 and has_mark() false; the risk engine
//    denies orders that need a reference price it does not have.
//
// Instruments are referenced, not owned: they must outlive the book. Mutations are O(1) except where
// noted; reads never allocate. Not thread-safe (the kernel is single-threaded).

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/internal/position_figures.hpp"
#include "ballast/portfolio/margin_state.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace ballast::portfolio {

using SlotIndex = std::uint32_t;

// One instrument's state. Read-only for users of the book; the book keeps the derived fields in step.
struct InstrumentSlot {
  const model::Instrument* instrument{nullptr};
  // Position.
  core::Decimal quantity{};   // signed
  core::Decimal avg_entry{};  // 0 when flat
  model::MarginMode margin_mode{model::MarginMode::Cross};
  core::Decimal leverage{core::Decimal::from_int(1)};
  core::Decimal isolated_margin{};  // isolated mode: margin assigned to the position
  // Market.
  model::Price mark{};
  bool has_mark{false};
  std::optional<model::Price> best_bid{};
  std::optional<model::Price> best_ask{};
  core::UnixNanos ts_mark{};
  // Working orders (unfilled parts).
  core::Decimal open_buy_quantity{};
  core::Decimal open_sell_quantity{};
  core::Decimal open_buy_notional{};   // at the order prices, >= 0
  core::Decimal open_sell_notional{};  // >= 0
  std::int32_t open_orders{0};
  // Derived at the mark (0 without a mark).
  core::Decimal notional{};             // signed
  core::Decimal unrealized_pnl{};
  core::Decimal initial_margin{};       // of the position
  core::Decimal open_order_margin{};    // max(buy, sell) side margin
  core::Decimal realized_pnl{};         // cumulative, net of fees, since the book was created
  // Entry value of the open quantity (model::Position::open_cost(): Σ price × qty × multiplier, exact;
  // partial closes release it pro rata). avg_entry is derived from it; realised P&L is measured against it.
  core::Decimal open_cost{};
};

// What a fill did, for the risk monitor (trade results, streaks).
struct FillEffect {
  core::Decimal quantity_before{};
  core::Decimal quantity_after{};
  core::Decimal realized_pnl{};  // this fill's P&L net of its fee (0 when only opening)
  bool closed_or_reduced{false};  // some quantity was closed
  bool flipped{false};
};

class PortfolioBook {
 public:
  // Every instrument must be linear and settle in `settlement`; ids must be unique. The wallet balance
  // is the account's total wallet (cross + isolated) in `settlement`.
  static core::Result<PortfolioBook> create(model::Currency settlement,
                                            std::span<const model::Instrument* const> instruments,
                                            core::Decimal wallet_balance);

  const model::Currency& settlement_currency() const noexcept { return settlement_; }
  std::size_t size() const noexcept { return slots_.size(); }
  // The slot of an instrument, or nullopt.
  std::optional<SlotIndex> find(const core::InstrumentId& id) const noexcept {
    const SlotIndex i = slot_index(id);
    return i == kNoSlot ? std::nullopt : std::optional<SlotIndex>(i);
  }
  // The same as an index, kNoSlot when the book does not hold the instrument: for the paths that run on every
  // mark (GCC passes a small std::optional through the stack, and reading it back whole stalls). The caller
  // usually passes the id of the book's own Instrument object: one pointer comparison, inline.
  static constexpr SlotIndex kNoSlot = static_cast<SlotIndex>(-1);
  SlotIndex slot_index(const core::InstrumentId& id) const noexcept {
    const std::size_t n = slots_.size() < kScanLimit ? slots_.size() : kScanLimit;
    for (SlotIndex i = 0; i < n; ++i) {
      if (&slots_[i].instrument->id() == &id) return i;
    }
    return slot_index_by_value(id);
  }
  const InstrumentSlot& slot(SlotIndex index) const { return slots_.at(index); }
  std::span<const InstrumentSlot> slots() const noexcept { return slots_; }

  // --- Mutations -------------------------------------------------------------------------------------
  // New mark (> 0 for inverse; any finite price otherwise). Updates notional, P&L, margins, aggregates.
  core::Status set_mark(SlotIndex index, const model::Price& mark, core::UnixNanos ts) {
    // Without a position a new mark moves nothing: recompute_position() left the notional, P&L and margin at
    // 0 when the slot was last marked or changed. (Inline: about half the marks of a backtest are of a flat slot.)
    if (index < slots_.size()) {
      InstrumentSlot& s = slots_[index];
      if (s.has_mark && s.quantity.is_zero()) {
        ++version_;
        s.mark = mark;
        s.ts_mark = ts;
        return core::ok();
      }
    }
    return mark_position(index, mark, ts);
  }
  // Top of book for post-only checks (either side may be absent).
  void set_quote(SlotIndex index, std::optional<model::Price> bid, std::optional<model::Price> ask);
  // A fill of `quantity` (> 0) at `price` (> 0) with `fee` (settlement currency, >= 0 paid, < 0 rebate).
  // The wallet gains the realised P&L and pays the fee. Average entry follows model::Position.
  core::Result<FillEffect> apply_fill(SlotIndex index, model::OrderSide side, const core::Decimal& quantity,
                                      const model::Price& price, const core::Decimal& fee);
  // Replaces the position (reconciliation, loading a snapshot).
  core::Status set_position(SlotIndex index, const core::Decimal& quantity, const core::Decimal& avg_entry);
  // Leverage (>= 1) and margin mode of an instrument; isolated_margin is the position's own margin.
  core::Status set_leverage(SlotIndex index, const core::Decimal& leverage);
  core::Status set_margin_mode(SlotIndex index, model::MarginMode mode, const core::Decimal& isolated_margin);
  // Working orders: add when accepted (or submitted), remove the unfilled part when filled, canceled,
  // rejected or expired. quantity > 0; price > 0 is the limit (or trigger) price.
  core::Status add_open_order(SlotIndex index, model::OrderSide side, const core::Decimal& quantity,
                              const model::Price& price);
  core::Status remove_open_order(SlotIndex index, model::OrderSide side, const core::Decimal& quantity,
                                 const model::Price& price, bool order_done);
  // Deposits / withdrawals / funding (signed).
  void adjust_wallet(const core::Decimal& amount);
  void set_wallet_balance(const core::Decimal& amount);

  // --- Aggregates (O(1)) -----------------------------------------------------------------------------
  const core::Decimal& wallet_balance() const noexcept { return wallet_; }
  // Formed on each read, not kept as a total: a Decimal written as two fields and read back whole soon after
  // stalls on store forwarding, which cost more than the addition (measured, session 14).
  core::Decimal equity() const { return wallet_ + unrealized_total_; }
  const core::Decimal& unrealized_pnl() const noexcept { return unrealized_total_; }
  const core::Decimal& realized_pnl() const noexcept { return realized_total_; }
  const core::Decimal& gross_exposure() const noexcept { return gross_total_; }  // Σ |notional|
  const core::Decimal& net_exposure() const noexcept { return net_total_; }      // Σ notional
  const core::Decimal& initial_margin() const noexcept { return cross_im_total_; }  // cross positions
  const core::Decimal& open_order_margin() const noexcept { return oom_total_; }
  core::Decimal available_margin() const;
  // What maintenance margin is measured against on the cross account: wallet − isolated margin + cross
  // unrealised P&L (= available margin + initial margin + open-order margin, two operations fewer).
  core::Decimal cross_margin_balance() const { return wallet_ - isolated_total_ + cross_unrealized_total_; }
  std::int32_t open_orders() const noexcept { return open_orders_total_; }
  std::int32_t positions_open() const noexcept { return positions_open_; }
  // Counts the mutations (every call of a mutation above but set_quote, failed ones included): equal
  // versions mean an unchanged book, for whoever keeps figures derived from it.
  std::uint64_t version() const noexcept { return version_; }

  // Margin-manager snapshot of the whole book (allocates; for reports and liquidation prices).
  MarginAccountState margin_state() const;

 private:
  // Books of up to this many instruments compare ids; larger ones also hash them (index_).
  static constexpr std::size_t kScanLimit = 8;
  SlotIndex slot_index_by_value(const core::InstrumentId& id) const noexcept;
  PortfolioBook() = default;
  // set_mark() of a slot with a position, or of one not marked before.
  core::Status mark_position(SlotIndex index, const model::Price& mark, core::UnixNanos ts);
  void remove_derived(const InstrumentSlot& s);
  void add_derived(const InstrumentSlot& s);
  void recompute(InstrumentSlot& s);           // everything derived of the slot
  void recompute_position(InstrumentSlot& s);  // what depends on the mark: notional, unrealised P&L, margin

  model::Currency settlement_{};
  std::vector<InstrumentSlot> slots_{};
  std::vector<internal::PositionLine> lines_{};  // per slot: its position's figures as functions of the mark
  std::unordered_map<std::string, SlotIndex> index_{};
  core::Decimal wallet_{};
  core::Decimal isolated_total_{};
  core::Decimal unrealized_total_{};
  core::Decimal cross_unrealized_total_{};
  core::Decimal realized_total_{};
  core::Decimal gross_total_{};
  core::Decimal net_total_{};
  core::Decimal cross_im_total_{};
  core::Decimal oom_total_{};
  std::int32_t open_orders_total_{0};
  std::int32_t positions_open_{0};
  std::uint64_t version_{0};
};

}  // namespace ballast::portfolio
