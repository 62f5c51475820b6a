// The paper venue's market data (see paper_market.hpp).

#include "ballast/server/paper_market.hpp"

#include "ballast/data/bar_csv_stream.hpp"
#include "ballast/data/ohlcv_csv.hpp"
#include "ballast/data/synthetic_market_generator.hpp"
#include "ballast/model/reference_instruments.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::server {
namespace {

using core::Decimal;

model::Currency settlement_of(const ServiceConfig& config) {
  if (config.currency == "USDT") return model::Currency::USDT();
  if (config.currency == "USDC") return model::Currency::USDC();
  if (config.currency == "USD") return model::Currency::USD();
  return model::Currency(config.currency, 8);
}

model::InstrumentSpec generic_perpetual(const PaperInstrumentConfig& p, const model::Currency& settlement) {
  model::InstrumentSpec spec;
  spec.id = core::InstrumentId(p.symbol, core::VenueId(std::string(kPaperVenue)));
  spec.kind = model::InstrumentKind::Perpetual;
  std::string base = p.symbol;
  const std::string quote(settlement.code());
  if (base.size() > quote.size() && base.ends_with(quote)) base.resize(base.size() - quote.size());
  spec.base_currency = model::Currency(base.substr(0, std::min<std::size_t>(base.size(), 8)), 8);
  spec.quote_currency = settlement;
  spec.settlement_currency = settlement;
  spec.min_notional = model::Money(Decimal::from_int(5), settlement);
  spec.max_quantity = model::Quantity(Decimal::from_int(1'000'000'000));
  spec.maker_fee_rate = Decimal::parse("0.0002").value();
  spec.taker_fee_rate = Decimal::parse("0.0005").value();
  spec.margin_tiers = {model::MarginTier{Decimal{}, Decimal::from_int(1'000'000'000'000), Decimal::from_int(20),
                                         Decimal::parse("0.025").value(), Decimal{}}};
  return spec;
}

// Scale of the accumulated level factor (exact for a few shocks of up to 4 decimal places each).
constexpr int kFactorScale = 12;

// `price` × `factor` on the instrument's tick (half away from zero), at least one tick.
core::Result<model::Price> shifted(const model::Price& price, const Decimal& factor, const model::Price& tick) {
  auto scaled = price.value().checked_mul(factor, std::max(price.value().scale(), tick.value().scale()) + 2,
                                          core::RoundingMode::HalfUp);
  if (!scaled) return scaled.error();
  auto rounded = scaled->round_to_increment(tick.value(), core::RoundingMode::HalfUp);
  if (!rounded) return rounded.error();
  return model::Price(rounded->is_positive() ? *rounded : tick.value());
}

class SyntheticPaperMarket final : public PaperMarket {
 public:
  explicit SyntheticPaperMarket(data::SyntheticMarketGenerator generator)
      : generator_(std::move(generator)),
        factor_(generator_.instrument_count(), Decimal::from_int(1)),
        next_open_(generator_.instrument_count()),
        last_close_(generator_.instrument_count()) {}

  std::optional<core::UnixNanos> next_step_end() const override {
    return generator_.next_bar_start() + generator_.config().interval;
  }
  const std::vector<std::pair<std::size_t, model::Bar>>& next() override {
    const auto& bars = generator_.next();
    step_.clear();
    for (std::size_t i = 0; i < bars.size(); ++i) {
      model::Bar bar = bars[i];
      if (factor_[i] != Decimal::from_int(1)) {
        const model::Price& tick = generator_.config().instruments[i].tick_size;
        for (model::Price* p : {&bar.open, &bar.high, &bar.low, &bar.close}) {
          // The factor is bounded when a shock is accepted, so this cannot overflow for listed prices.
          if (auto moved = shifted(*p, factor_[i], tick)) *p = *moved;
        }
      }
      if (next_open_[i]) {
        bar.open = *next_open_[i];
        if (bar.open > bar.high) bar.high = bar.open;
        if (bar.open < bar.low) bar.low = bar.open;
        next_open_[i].reset();
      }
      last_close_[i] = bar.close;
      step_.emplace_back(i, bar);
    }
    return step_;
  }
  core::UnixNanos start() const override { return generator_.config().start; }

  core::Result<PaperShockApplied> shock(std::size_t instrument, const Decimal& move) override {
    if (instrument >= factor_.size()) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("no instrument {} (the market has {})", instrument, factor_.size()), "symbol");
    }
    if (move <= Decimal::parse("-0.9").value() || move >= Decimal::from_int(10)) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("move {} is outside (-0.9, 10)", move.to_string_trimmed()), "move");
    }
    const Decimal one_plus = Decimal::from_int(1) + move;
    auto factor = factor_[instrument].checked_mul(one_plus, kFactorScale, core::RoundingMode::HalfEven);
    if (!factor || !factor->is_positive() || *factor > Decimal::from_int(1'000'000)) {
      return core::Error(core::ErrorCode::Overflow, "the accumulated level factor would leave (0, 1000000]", "move");
    }
    PaperShockApplied applied;
    const model::Price& tick = generator_.config().instruments[instrument].tick_size;
    if (last_close_[instrument]) {
      // A second shock before the next bar moves from the open the first one set.
      const model::Price base = next_open_[instrument] ? *next_open_[instrument] : *last_close_[instrument];
      auto open = shifted(base, one_plus, tick);
      if (!open) return open.error();
      applied.previous_close = last_close_[instrument];
      applied.next_open = *open;
      next_open_[instrument] = *open;
    }
    factor_[instrument] = *factor;
    applied.level_factor = *factor;
    return applied;
  }

 private:
  data::SyntheticMarketGenerator generator_;
  std::vector<Decimal> factor_;                    // product of the (1 + move) of every shock, per instrument
  std::vector<std::optional<model::Price>> next_open_;   // set by a shock, used by the next bar
  std::vector<std::optional<model::Price>> last_close_;  // as published
  std::vector<std::pair<std::size_t, model::Bar>> step_;
};

class ReplayPaperMarket final : public PaperMarket {
 public:
  explicit ReplayPaperMarket(std::vector<std::pair<std::size_t, model::Bar>> bars) : bars_(std::move(bars)) {
    std::stable_sort(bars_.begin(), bars_.end(),
                     [](const auto& a, const auto& b) { return a.second.ts_event < b.second.ts_event; });
  }

  std::optional<core::UnixNanos> next_step_end() const override {
    if (next_ >= bars_.size()) return std::nullopt;
    core::UnixNanos end = bars_[next_].second.ts_recv;
    for (std::size_t k = next_; k < bars_.size() && bars_[k].second.ts_event == bars_[next_].second.ts_event; ++k) {
      end = std::max(end, bars_[k].second.ts_recv);
    }
    return end;
  }
  const std::vector<std::pair<std::size_t, model::Bar>>& next() override {
    step_.clear();
    if (next_ >= bars_.size()) return step_;
    const core::UnixNanos t = bars_[next_].second.ts_event;
    while (next_ < bars_.size() && bars_[next_].second.ts_event == t) step_.push_back(bars_[next_++]);
    return step_;
  }
  core::UnixNanos start() const override { return bars_.empty() ? core::UnixNanos{} : bars_.front().second.ts_event; }

 private:
  std::vector<std::pair<std::size_t, model::Bar>> bars_;
  std::size_t next_{0};
  std::vector<std::pair<std::size_t, model::Bar>> step_;
};

}  // namespace

core::Result<PaperShockApplied> PaperMarket::shock(std::size_t, const core::Decimal&) {
  return core::Error(core::ErrorCode::InvalidState, "the paper market replays files: only a synthetic feed can be shocked");
}

core::Result<std::vector<std::unique_ptr<model::Instrument>>> paper_instruments(const ServiceConfig& config) {
  const model::Currency settlement = settlement_of(config);
  const auto reference = model::reference_perpetual_specs(kPaperVenue);
  std::vector<std::unique_ptr<model::Instrument>> out;
  for (std::size_t i = 0; i < config.instruments.size(); ++i) {
    const PaperInstrumentConfig& p = config.instruments[i];
    model::InstrumentSpec spec;
    const auto ref = std::find_if(reference.begin(), reference.end(),
                                  [&](const model::InstrumentSpec& s) { return s.id.symbol() == p.symbol; });
    if (ref != reference.end() && settlement == ref->settlement_currency) {
      spec = *ref;
    } else {
      spec = generic_perpetual(p, settlement);
    }
    spec.tick_size = model::Price(p.tick_size);
    spec.step_size = model::Quantity(p.lot_size);
    spec.min_quantity = model::Quantity(p.lot_size);
    auto instrument = model::Instrument::create(std::move(spec));
    if (!instrument) return instrument.error().with_context(fmt::format("paper.instruments[{}] ({})", i, p.symbol));
    out.push_back(std::make_unique<model::Instrument>(std::move(*instrument)));
  }
  return out;
}

core::Result<std::unique_ptr<PaperMarket>> make_paper_market(const ServiceConfig& config,
                                                             const std::vector<const model::Instrument*>& instruments,
                                                             core::UnixNanos start) {
  if (config.feed == "replay") {
    if (config.replay_files.size() != instruments.size()) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("paper.replay_files: {} files for {} instruments (one per instrument, same order)",
                                     config.replay_files.size(), instruments.size()),
                         "paper.replay_files");
    }
    auto bar_time = data::parse_bar_timestamp_label(config.replay_bar_time);
    if (!bar_time) return bar_time.error().with_context("paper.replay_bar_time");
    data::OhlcvCsvReadOptions options;
    options.timestamp_label = *bar_time;
    std::vector<std::pair<std::size_t, model::Bar>> bars;
    for (std::size_t i = 0; i < instruments.size(); ++i) {
      // OHLCV or Binance kline CSV, as `ballast backtest --data` reads them.
      auto series = data::read_bar_file(config.replay_files[i], options);
      if (!series) return series.error();
      for (const model::Bar& b : series->bars) {
        model::Bar bar = b;
        const auto& tick = instruments[i]->spec().tick_size;
        // Replayed prices are put on the paper instrument's tick (half away from zero), as a venue would list them.
        for (model::Price* p : {&bar.open, &bar.high, &bar.low, &bar.close}) {
          auto rounded = p->value().round_to_increment(tick.value(), core::RoundingMode::HalfUp);
          if (!rounded) return rounded.error().with_context(config.replay_files[i].string());
          *p = model::Price(*rounded);
        }
        bars.emplace_back(i, bar);
      }
    }
    if (bars.empty()) return core::Error(core::ErrorCode::InvalidArgument, "paper.replay_files: no bars", "paper.replay_files");
    return std::unique_ptr<PaperMarket>(std::make_unique<ReplayPaperMarket>(std::move(bars)));
  }

  data::SyntheticMarketConfig sc;
  sc.interval = core::Duration(std::chrono::duration_cast<core::Duration>(config.bar_interval));
  const std::int64_t step = sc.interval.count();
  sc.start = core::UnixNanos(start.value - (start.value % step));
  sc.seed = config.seed;
  sc.substeps = 8;
  const std::size_t n = config.instruments.size();
  for (std::size_t i = 0; i < n; ++i) {
    const PaperInstrumentConfig& p = config.instruments[i];
    data::SyntheticInstrumentConfig ic;
    ic.instrument_id = instruments[i]->id();
    ic.start_price = p.initial_price.to_double();
    ic.annual_volatility = p.annual_volatility;
    ic.tick_size = model::Price(p.tick_size);
    ic.lot_size = model::Quantity(p.lot_size);
    ic.daily_volume = p.daily_volume;
    sc.instruments.push_back(ic);
  }
  if (n > 1) {
    sc.correlation.assign(n, std::vector<double>(n, config.correlation));
    for (std::size_t i = 0; i < n; ++i) sc.correlation[i][i] = 1.0;
  }
  auto generator = data::SyntheticMarketGenerator::create(std::move(sc));
  if (!generator) return generator.error().with_context("paper market");
  return std::unique_ptr<PaperMarket>(std::make_unique<SyntheticPaperMarket>(std::move(*generator)));
}

}  // namespace ballast::server
