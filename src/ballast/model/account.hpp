#pragma once
// Account: the balances one trading account holds at a venue, per currency, and its margin settings.
//
// Balances: total is what the account owns (wallet balance plus realized P&L minus fees), locked is the
// part reserved as margin or for open orders, free = total − locked. Amounts follow the Money sign
// convention (positive = credit).
//
// Two kinds of fill settlement:
//  - apply_fill(): derivatives on margin. Only money changes hands — the fill's realized P&L (gross,
//    from Position::apply) is credited in its currency and the commission (positive = paid) debited in
//    the commission's currency.
//  - apply_cash_fill(): spot and equities without margin. A buy pays price × quantity of the quote
//    currency and receives the quantity of the base currency; a sell the reverse; then the commission.
// Fills record what already happened at the venue, so they are never refused for a lack of funds and may
// leave a balance negative (the risk engine watches for that). Deposits, withdrawals and margin locks are
// requests and are refused when they would leave a negative free balance.
//
// Leverage is kept per instrument with an account-wide default; both must be at least 1.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::model {

struct Balance {
  Money total{};
  Money locked{};

  const Currency& currency() const noexcept { return total.currency(); }
  Money free() const { return total - locked; }
};

class Account {
 public:
  explicit Account(core::AccountId id, MarginMode margin_mode = MarginMode::Cross,
                   Decimal default_leverage = Decimal::from_int(1));

  const core::AccountId& id() const noexcept { return id_; }
  MarginMode margin_mode() const noexcept { return margin_mode_; }
  void set_margin_mode(MarginMode mode) noexcept { margin_mode_ = mode; }

  const Decimal& default_leverage() const noexcept { return default_leverage_; }
  core::Status set_default_leverage(const Decimal& leverage);
  // The instrument's leverage, or the default when none was set.
  const Decimal& leverage(const core::InstrumentId& instrument_id) const;
  core::Status set_leverage(const core::InstrumentId& instrument_id, const Decimal& leverage);

  // nullopt for a currency the account never held.
  std::optional<Balance> balance(const Currency& currency) const;
  // All balances, ordered by currency code.
  std::vector<Balance> balances() const;
  // Zero in `currency` when the account never held it.
  Money total(const Currency& currency) const;
  Money locked(const Currency& currency) const;
  Money free(const Currency& currency) const;

  // amount > 0.
  core::Status deposit(const Money& amount, core::UnixNanos ts);
  // 0 < amount <= free.
  core::Status withdraw(const Money& amount, core::UnixNanos ts);
  // Reserves margin: 0 < amount <= free.
  core::Status lock(const Money& amount, core::UnixNanos ts);
  // Releases margin: 0 < amount <= locked.
  core::Status unlock(const Money& amount, core::UnixNanos ts);

  // Credits `realized_pnl` (gross, any sign) and debits the fill's commission. The fill must be for this
  // account.
  core::Status apply_fill(const Fill& fill, const Money& realized_pnl);
  // Exchanges base and quote currency for a linear SPOT or EQUITY instrument, then debits the commission.
  core::Status apply_cash_fill(const Fill& fill, const Instrument& instrument);

  core::UnixNanos ts_last() const noexcept { return ts_last_; }

 private:
  Balance& balance_for(const Currency& currency);
  core::Status check_positive(const Money& amount, std::string_view what) const;
  core::Status check_fill(const Fill& fill) const;
  void credit(const Money& amount);
  void touch(core::UnixNanos ts);

  core::AccountId id_;
  MarginMode margin_mode_;
  Decimal default_leverage_;
  std::map<core::InstrumentId, Decimal> leverages_;
  std::map<std::string, Balance, std::less<>> balances_;  // by currency code
  core::UnixNanos ts_last_;
};

}  // namespace ballast::model
