#pragma once
// Decimal products and quotients for notional, cost-basis and P&L arithmetic inside the model module
// (private to model/). core::Decimal::mul/div need a target scale chosen up front; these helpers pick
// the scale so that results stay exact whenever a 64-bit raw value can hold them:
//  - multiply() keeps every digit of a × b (scale sa + sb) when that fits, and only otherwise drops
//    the least significant digits (half-even) until the value fits;
//  - divide() and mul_div() round once, with a 128-bit intermediate, at the scale they are given.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::model::internal {

// a × b, exact when the product has at most 18 decimal places and fits int64; otherwise rounded
// half-even at the largest scale that fits. Overflow only when the integer part does not fit.
core::Result<core::Decimal> multiply(const core::Decimal& a, const core::Decimal& b);

// a / b rounded with `mode` at `scale` places, falling back one place at a time (down to `min_scale`)
// while the quotient does not fit. Division by zero is an error.
core::Result<core::Decimal> divide(const core::Decimal& a, const core::Decimal& b, int scale, int min_scale,
                                   core::RoundingMode mode);

// a × b / c rounded once with `mode` at `scale` places (the product is kept in 128 bits).
core::Result<core::Decimal> mul_div(const core::Decimal& a, const core::Decimal& b, const core::Decimal& c, int scale,
                                    core::RoundingMode mode);

}  // namespace ballast::model::internal
