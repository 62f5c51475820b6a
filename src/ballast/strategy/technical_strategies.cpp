#include "ballast/strategy/technical_strategies.hpp"

#include "ballast/analytics/indicators/moving_averages.hpp"
#include "ballast/analytics/indicators/oscillators.hpp"
#include "ballast/analytics/indicators/volatility_bands.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::strategy {

namespace {

using analytics::BandPoint;

constexpr ParameterSpec kLongOnly{"long_only", 1, 0, 1, true, "1: never short (SHORT signals go flat)"};

const ParameterSpec kCrossSpecs[] = {
    {"fast", 10, 1, 100000, true, "fast moving-average period"},
    {"slow", 30, 2, 100000, true, "slow moving-average period (> fast)"},
    kLongOnly,
};
const ParameterSpec kMacdSpecs[] = {
    {"fast", 12, 1, 100000, true, "fast EMA period"},
    {"slow", 26, 2, 100000, true, "slow EMA period (> fast)"},
    {"signal", 9, 1, 100000, true, "signal EMA period"},
    kLongOnly,
};
const ParameterSpec kRsiSpecs[] = {
    {"period", 14, 2, 10000, true, "RSI period (Wilder)"},
    {"oversold", 30, 1, 99, false, "enter long below this RSI"},
    {"overbought", 70, 1, 99, false, "enter short above this RSI"},
    {"exit", 50, 1, 99, false, "leave the position when RSI crosses back to this level"},
    kLongOnly,
};
const ParameterSpec kBollingerSpecs[] = {
    {"period", 20, 2, 10000, true, "moving-average period"},
    {"k", 2, 0.1, 10, false, "band width in standard deviations"},
    kLongOnly,
};
const ParameterSpec kDonchianSpecs[] = {
    {"period", 20, 1, 10000, true, "channel length in bars"},
    kLongOnly,
};

template <class Calculator>
class MovingAverageCross final : public SignalStrategy {
 public:
  MovingAverageCross(std::string_view name, core::InstrumentId id, StrategyParameters p, Calculator fast,
                     Calculator slow)
      : SignalStrategy(std::move(id), std::move(p)), name_(name), fast_(std::move(fast)), slow_(std::move(slow)) {}
  std::string_view name() const noexcept override { return name_; }

 private:
  std::optional<Target> signal(const model::Bar& bar) override {
    const double x = bar.close.as_double();
    const double f = fast_.update(x);
    const double s = slow_.update(x);
    report_indicators({{"fast", f}, {"slow", s}});
    if (std::isnan(f) || std::isnan(s)) return std::nullopt;
    const int previous = sign_;
    sign_ = cross_sign(f, s, previous);
    if (previous == 0 || sign_ == previous || sign_ == 0) return std::nullopt;  // warm-up, no change or tie
    return sign_ > 0 ? Target::Long : Target::Short;
  }

  std::string_view name_;
  Calculator fast_;
  Calculator slow_;
  int sign_{0};
};

class MacdCross final : public SignalStrategy {
 public:
  MacdCross(core::InstrumentId id, StrategyParameters p, analytics::MacdCalculator macd)
      : SignalStrategy(std::move(id), std::move(p)), macd_(std::move(macd)) {}
  std::string_view name() const noexcept override { return "macd_cross"; }

 private:
  std::optional<Target> signal(const model::Bar& bar) override {
    const auto m = macd_.update(bar.close.as_double());
    report_indicators({{"macd", m.macd}, {"signal", m.signal}});
    if (std::isnan(m.macd) || std::isnan(m.signal)) return std::nullopt;
    const int previous = sign_;
    sign_ = cross_sign(m.macd, m.signal, previous);
    if (previous == 0 || sign_ == previous || sign_ == 0) return std::nullopt;
    return sign_ > 0 ? Target::Long : Target::Short;
  }

  analytics::MacdCalculator macd_;
  int sign_{0};
};

class RsiReversion final : public SignalStrategy {
 public:
  RsiReversion(core::InstrumentId id, StrategyParameters p, analytics::RsiCalculator rsi)
      : SignalStrategy(std::move(id), std::move(p)), rsi_(std::move(rsi)) {
    oversold_ = parameters().get("oversold");
    overbought_ = parameters().get("overbought");
    exit_ = parameters().get("exit");
  }
  std::string_view name() const noexcept override { return "rsi_reversion"; }

 private:
  std::optional<Target> signal(const model::Bar& bar) override {
    const double r = rsi_.update(bar.close.as_double());
    report_indicators({{"rsi", r}});
    if (std::isnan(r)) return std::nullopt;
    if (r < oversold_) return state_ = Target::Long;
    if (r > overbought_) return state_ = Target::Short;
    if (state_ == Target::Long && r >= exit_) return state_ = Target::Flat;
    if (state_ == Target::Short && r <= exit_) return state_ = Target::Flat;
    return std::nullopt;
  }

  analytics::RsiCalculator rsi_;
  double oversold_{30}, overbought_{70}, exit_{50};
  Target state_{Target::Flat};
};

class BollingerStrategy final : public SignalStrategy {
 public:
  BollingerStrategy(bool breakout, core::InstrumentId id, StrategyParameters p, analytics::BollingerCalculator bands)
      : SignalStrategy(std::move(id), std::move(p)), breakout_(breakout), bands_(std::move(bands)) {}
  std::string_view name() const noexcept override { return breakout_ ? "bollinger_breakout" : "bollinger_reversion"; }

 private:
  std::optional<Target> signal(const model::Bar& bar) override {
    const double c = bar.close.as_double();
    const BandPoint b = bands_.update(c);
    report_indicators({{"upper", b.upper}, {"middle", b.middle}, {"lower", b.lower}});
    if (std::isnan(b.middle)) return std::nullopt;
    if (breakout_) {
      if (c > b.upper) return state_ = Target::Long;
      if (c < b.lower) return state_ = Target::Short;
      if (state_ == Target::Long && c < b.middle) return state_ = Target::Flat;
      if (state_ == Target::Short && c > b.middle) return state_ = Target::Flat;
    } else {
      if (c < b.lower) return state_ = Target::Long;
      if (c > b.upper) return state_ = Target::Short;
      if (state_ == Target::Long && c >= b.middle) return state_ = Target::Flat;
      if (state_ == Target::Short && c <= b.middle) return state_ = Target::Flat;
    }
    return std::nullopt;
  }

  bool breakout_;
  analytics::BollingerCalculator bands_;
  Target state_{Target::Flat};
};

class DonchianBreakout final : public SignalStrategy {
 public:
  DonchianBreakout(core::InstrumentId id, StrategyParameters p, analytics::DonchianCalculator channel)
      : SignalStrategy(std::move(id), std::move(p)), channel_(std::move(channel)) {}
  std::string_view name() const noexcept override { return "donchian_breakout"; }

 private:
  std::optional<Target> signal(const model::Bar& bar) override {
    const double c = bar.close.as_double();
    const BandPoint previous = last_;  // the channel of the bars before this one
    last_ = channel_.update(bar.high.as_double(), bar.low.as_double());
    report_indicators({{"upper", previous.upper}, {"lower", previous.lower}});
    if (std::isnan(previous.upper)) return std::nullopt;
    if (c > previous.upper) return Target::Long;
    if (c < previous.lower) return Target::Short;
    return std::nullopt;
  }

  analytics::DonchianCalculator channel_;
  BandPoint last_{};
};

const StrategyInfo kStrategies[] = {
    {"sma_cross", "simple moving-average crossover", kCrossSpecs},
    {"ema_cross", "exponential moving-average crossover", kCrossSpecs},
    {"macd_cross", "MACD line crossing its signal line", kMacdSpecs},
    {"rsi_reversion", "RSI mean reversion", kRsiSpecs},
    {"bollinger_breakout", "Bollinger band breakout", kBollingerSpecs},
    {"bollinger_reversion", "Bollinger band mean reversion", kBollingerSpecs},
    {"donchian_breakout", "Donchian channel breakout", kDonchianSpecs},
};

core::Error inconsistent(std::string_view strategy, std::string message, std::string field) {
  return core::Error(core::ErrorCode::InvalidArgument, fmt::format("{}: {}", strategy, message), std::move(field));
}

}  // namespace

std::span<const StrategyInfo> builtin_strategies() noexcept { return kStrategies; }

core::Result<std::unique_ptr<SignalStrategy>> create_strategy(std::string_view name, core::InstrumentId instrument_id,
                                                              std::span<const std::string> assignments) {
  const StrategyInfo* info = nullptr;
  for (const auto& s : kStrategies) {
    if (s.name == name) info = &s;
  }
  if (info == nullptr) {
    std::string known;
    for (const auto& s : kStrategies) known += (known.empty() ? "" : ", ") + std::string(s.name);
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown strategy '{}'; known: {}", name, known),
                       "strategy");
  }
  StrategyParameters p(std::string(info->name), info->parameters);
  for (const auto& a : assignments) BALLAST_TRY(p.set_from_text(a));

  if (name == "sma_cross" || name == "ema_cross" || name == "macd_cross") {
    if (p.get_int("fast") >= p.get_int("slow")) {
      return inconsistent(name, fmt::format("fast ({}) must be below slow ({})", p.get_int("fast"), p.get_int("slow")),
                          "fast");
    }
  }
  if (name == "sma_cross") {
    auto fast = analytics::SmaCalculator::create(p.get_int("fast"));
    auto slow = analytics::SmaCalculator::create(p.get_int("slow"));
    if (!fast) return fast.error();
    if (!slow) return slow.error();
    return std::unique_ptr<SignalStrategy>(new MovingAverageCross<analytics::SmaCalculator>(
        "sma_cross", std::move(instrument_id), std::move(p), std::move(*fast), std::move(*slow)));
  }
  if (name == "ema_cross") {
    auto fast = analytics::EmaCalculator::create(p.get_int("fast"));
    auto slow = analytics::EmaCalculator::create(p.get_int("slow"));
    if (!fast) return fast.error();
    if (!slow) return slow.error();
    return std::unique_ptr<SignalStrategy>(new MovingAverageCross<analytics::EmaCalculator>(
        "ema_cross", std::move(instrument_id), std::move(p), std::move(*fast), std::move(*slow)));
  }
  if (name == "macd_cross") {
    analytics::MacdParams mp;
    mp.fast_period = p.get_int("fast");
    mp.slow_period = p.get_int("slow");
    mp.signal_period = p.get_int("signal");
    auto macd = analytics::MacdCalculator::create(mp);
    if (!macd) return macd.error();
    return std::unique_ptr<SignalStrategy>(new MacdCross(std::move(instrument_id), std::move(p), std::move(*macd)));
  }
  if (name == "rsi_reversion") {
    if (!(p.get("oversold") < p.get("exit") && p.get("exit") < p.get("overbought"))) {
      return inconsistent(name, fmt::format("need oversold ({}) < exit ({}) < overbought ({})", p.get("oversold"),
                                            p.get("exit"), p.get("overbought")),
                          "exit");
    }
    auto rsi = analytics::RsiCalculator::create(p.get_int("period"));
    if (!rsi) return rsi.error();
    return std::unique_ptr<SignalStrategy>(new RsiReversion(std::move(instrument_id), std::move(p), std::move(*rsi)));
  }
  if (name == "bollinger_breakout" || name == "bollinger_reversion") {
    analytics::BollingerParams bp;
    bp.period = p.get_int("period");
    bp.upper_multiplier = p.get("k");
    bp.lower_multiplier = p.get("k");
    auto bands = analytics::BollingerCalculator::create(bp);
    if (!bands) return bands.error();
    return std::unique_ptr<SignalStrategy>(new BollingerStrategy(name == "bollinger_breakout", std::move(instrument_id),
                                                                 std::move(p), std::move(*bands)));
  }
  auto channel = analytics::DonchianCalculator::create(p.get_int("period"));
  if (!channel) return channel.error();
  return std::unique_ptr<SignalStrategy>(new DonchianBreakout(std::move(instrument_id), std::move(p), std::move(*channel)));
}

}  // namespace ballast::strategy
