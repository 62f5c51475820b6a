#pragma once
// Technical indicators, all of them: include this, or the one concern you need.
//
// Every indicator is a batch function over a series (`sma(values, 20)`, `sma_into(values, 20, out)`)
// and a streaming calculator with an O(1) update (`SmaCalculator::create(20)`, `calc.update(x)`),
// and the two give identical values. Conventions (TA-Lib seeding, lookbacks and output alignment,
// NaN prefix, errors, numerics, deviations from TA-Lib): docs/analytics/indicators.md and the
// header of each file below.

#include "ballast/analytics/indicators/bar_columns.hpp"       // Bar → double columns
#include "ballast/analytics/indicators/moving_averages.hpp"   // SMA, EMA, WMA, DEMA, TEMA
#include "ballast/analytics/indicators/oscillators.hpp"       // RSI, MACD, stochastic, Williams %R, CCI, ROC, momentum
#include "ballast/analytics/indicators/trend.hpp"             // ADX/+DI/−DI, linear-regression slope
#include "ballast/analytics/indicators/volatility_bands.hpp"  // stddev, Bollinger, ATR, NATR, Donchian, Keltner
#include "ballast/analytics/indicators/volume.hpp"            // OBV, VWAP
