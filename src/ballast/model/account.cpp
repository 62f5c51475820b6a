#include "ballast/model/account.hpp"

#include "ballast/model/internal/decimal_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace ballast::model {
namespace {

using core::Error;
using core::ErrorCode;

constexpr Decimal kOne = Decimal::from_int(1);

}  // namespace

Account::Account(core::AccountId id, MarginMode margin_mode, Decimal default_leverage)
    : id_(std::move(id)), margin_mode_(margin_mode), default_leverage_(default_leverage) {
  BALLAST_REQUIRE(!id_.empty(), "an account needs an id");
  BALLAST_REQUIRE(default_leverage_ >= kOne,
                  fmt::format("default leverage must be at least 1, got {}", default_leverage_.to_string_trimmed()));
}

core::Status Account::set_default_leverage(const Decimal& leverage) {
  if (leverage < kOne) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("leverage must be at least 1, got {}", leverage.to_string_trimmed()), "leverage");
  }
  default_leverage_ = leverage;
  return core::ok();
}

const Decimal& Account::leverage(const core::InstrumentId& instrument_id) const {
  const auto it = leverages_.find(instrument_id);
  return it == leverages_.end() ? default_leverage_ : it->second;
}

core::Status Account::set_leverage(const core::InstrumentId& instrument_id, const Decimal& leverage) {
  if (leverage < kOne) {
    return Error(
        ErrorCode::InvalidArgument,
        fmt::format("leverage for {} must be at least 1, got {}", instrument_id.value(), leverage.to_string_trimmed()),
        "leverage");
  }
  leverages_[instrument_id] = leverage;
  return core::ok();
}

std::optional<Balance> Account::balance(const Currency& currency) const {
  const auto it = balances_.find(currency.code());
  if (it == balances_.end()) return std::nullopt;
  return it->second;
}

std::vector<Balance> Account::balances() const {
  std::vector<Balance> out;
  out.reserve(balances_.size());
  for (const auto& [code, b] : balances_) out.push_back(b);
  return out;
}

Money Account::total(const Currency& currency) const {
  const auto b = balance(currency);
  return b ? b->total : Money::zero(currency);
}

Money Account::locked(const Currency& currency) const {
  const auto b = balance(currency);
  return b ? b->locked : Money::zero(currency);
}

Money Account::free(const Currency& currency) const {
  const auto b = balance(currency);
  return b ? b->free() : Money::zero(currency);
}

core::Status Account::deposit(const Money& amount, core::UnixNanos ts) {
  BALLAST_TRY(check_positive(amount, "deposit"));
  credit(amount);
  touch(ts);
  return core::ok();
}

core::Status Account::withdraw(const Money& amount, core::UnixNanos ts) {
  BALLAST_TRY(check_positive(amount, "withdrawal"));
  const Money available = free(amount.currency());
  if (amount > available) {
    return Error(
        ErrorCode::OutOfRange,
        fmt::format("withdrawal of {} exceeds the free balance {} (total {}, locked {})", amount.to_string(),
                    available.to_string(), total(amount.currency()).to_string(), locked(amount.currency()).to_string()),
        fmt::format("account {}", id_.value()));
  }
  credit(-amount);
  touch(ts);
  return core::ok();
}

core::Status Account::lock(const Money& amount, core::UnixNanos ts) {
  BALLAST_TRY(check_positive(amount, "margin lock"));
  const Money available = free(amount.currency());
  if (amount > available) {
    return Error(
        ErrorCode::OutOfRange,
        fmt::format("margin lock of {} exceeds the free balance {}", amount.to_string(), available.to_string()),
        fmt::format("account {}", id_.value()));
  }
  balance_for(amount.currency()).locked += amount;
  touch(ts);
  return core::ok();
}

core::Status Account::unlock(const Money& amount, core::UnixNanos ts) {
  BALLAST_TRY(check_positive(amount, "margin release"));
  const Money held = locked(amount.currency());
  if (amount > held) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("margin release of {} exceeds the locked {}", amount.to_string(), held.to_string()),
                 fmt::format("account {}", id_.value()));
  }
  balance_for(amount.currency()).locked -= amount;
  touch(ts);
  return core::ok();
}

core::Status Account::apply_fill(const Fill& fill, const Money& realized_pnl) {
  BALLAST_TRY(check_fill(fill));
  if (!realized_pnl.currency().empty()) credit(realized_pnl);
  if (!fill.commission.currency().empty()) credit(-fill.commission);
  touch(fill.ts_event);
  return core::ok();
}

core::Status Account::apply_cash_fill(const Fill& fill, const Instrument& instrument) {
  BALLAST_TRY(check_fill(fill));
  if (fill.instrument_id != instrument.id()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("fill {} is for {}, not {}", fill.trade_id.value(), fill.instrument_id.value(),
                             instrument.id().value()),
                 fmt::format("account {}", id_.value()));
  }
  if (instrument.is_inverse() ||
      (instrument.kind() != InstrumentKind::Spot && instrument.kind() != InstrumentKind::Equity)) {
    return Error(
        ErrorCode::InvalidArgument,
        fmt::format("cash settlement is for linear SPOT or EQUITY instruments, {} is {}{}", instrument.id().value(),
                    instrument.is_inverse() ? "inverse " : "", to_string(instrument.kind())),
        fmt::format("account {}", id_.value()));
  }
  // The exact traded value, rounded half-even to the quote currency's precision.
  const Money paid = instrument.notional(fill.last_px, fill.last_qty);
  auto units = internal::multiply(fill.last_qty.value(), instrument.multiplier());
  if (!units) return units.error();
  const Money received(*units, instrument.base_currency());
  if (fill.side == OrderSide::Buy) {
    credit(-paid);
    credit(received);
  } else {
    credit(-received);
    credit(paid);
  }
  if (!fill.commission.currency().empty()) credit(-fill.commission);
  touch(fill.ts_event);
  return core::ok();
}

Balance& Account::balance_for(const Currency& currency) {
  auto it = balances_.find(currency.code());
  if (it == balances_.end()) {
    it = balances_.emplace(std::string(currency.code()), Balance{Money::zero(currency), Money::zero(currency)}).first;
  }
  return it->second;
}

core::Status Account::check_positive(const Money& amount, std::string_view what) const {
  if (amount.currency().empty() || !amount.amount().is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} amount must be positive, got {}", what, amount.to_string()), "amount");
  }
  return core::ok();
}

core::Status Account::check_fill(const Fill& fill) const {
  if (fill.account_id != id_) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("fill {} is for account {}", fill.trade_id.value(), fill.account_id.value()),
                 fmt::format("account {}", id_.value()));
  }
  return core::ok();
}

void Account::credit(const Money& amount) {
  if (amount.is_zero()) return;
  balance_for(amount.currency()).total += amount;
}

void Account::touch(core::UnixNanos ts) {
  ts_last_ = std::max(ts_last_, ts);
}

}  // namespace ballast::model
