// Parsers of the user channels (orderUpdates, userFills, user): see ws_messages.hpp.
#include "ballast/adapters/hyperliquid/internal/ws_json.hpp"

namespace ballast::adapters::hyperliquid {
namespace internal {
namespace {

core::Status parse_basic_order(Scanner& s, Path& path, OpenOrder& o) {
  unsigned seen = 0;  // coin, side, limitPx, sz, oid, timestamp
  o.orig_sz.reset();
  o.cloid.reset();
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "coin") {
      auto c = read_string(s, path);
      if (!c) return c.error();
      o.coin.assign(*c);
      seen |= 1U;
    } else if (key == "side") {
      auto b = read_side(s, path);
      if (!b) return b.error();
      o.is_buy = *b;
      seen |= 2U;
    } else if (key == "limitPx" || key == "sz" || key == "origSz") {
      auto d = read_decimal(s, path);
      if (!d) return d.error();
      if (d->is_negative()) return fail(path, "must not be negative");
      if (key == "limitPx") {
        o.limit_px = *d;
        seen |= 4U;
      } else if (key == "sz") {
        o.sz = *d;
        seen |= 8U;
      } else {
        o.orig_sz = *d;
      }
    } else if (key == "oid") {
      auto id = read_uint(s, path);
      if (!id) return id.error();
      o.oid = *id;
      seen |= 16U;
    } else if (key == "timestamp") {
      auto t = read_millis(s, path);
      if (!t) return t.error();
      o.timestamp = *t;
      seen |= 32U;
    } else if (key == "cloid") {
      if (s.literal("null")) return core::ok();
      auto c = read_string(s, path);
      if (!c) return c.error();
      auto cloid = Cloid::parse(*c, path.str());
      if (!cloid) return Error(ErrorCode::ParseError, cloid.error().message(), path.str());
      o.cloid = *cloid;
    } else {
      return skip(s, path);
    }
    return core::ok();
  });
  if (!st) return st;
  static constexpr std::array<std::string_view, 6> kNames{"coin", "side", "limitPx", "sz", "oid", "timestamp"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if ((seen & (1U << i)) == 0) return missing(path, kNames[i]);
  }
  return core::ok();
}

// A fills array, read by info_parser's userFills parser (the same WsFill shape) from its raw text.
core::Status parse_fills(Scanner& s, Path& path, std::vector<UserFill>& out) {
  const char* start = s.pos();
  if (!s.peek('[')) return fail(path, "expected an array of fills");
  if (!s.skip_value()) return fail(path, "malformed JSON value");
  auto fills = parse_user_fills(std::string_view(start, static_cast<std::size_t>(s.pos() - start)));
  if (!fills) return Error(ErrorCode::ParseError, fills.error().message(), path.str() + fills.error().where());
  out = std::move(*fills);
  return core::ok();
}

}  // namespace

core::Status parse_order_update(Scanner& s, Path& path, WsOrderUpdate& u) {
  bool has_order = false;
  bool has_status = false;
  bool has_time = false;
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "order") {
      has_order = true;
      return parse_basic_order(s, path, u.order);
    }
    if (key == "status") {
      auto v = read_string(s, path);
      if (!v) return v.error();
      u.status.assign(*v);
      has_status = true;
      return core::ok();
    }
    if (key == "statusTimestamp") {
      auto t = read_millis(s, path);
      if (!t) return t.error();
      u.status_time = *t;
      has_time = true;
      return core::ok();
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!has_order) return missing(path, "order");
  if (!has_status) return missing(path, "status");
  if (!has_time) return missing(path, "statusTimestamp");
  return core::ok();
}

core::Status parse_user_fills_data(Scanner& s, Path& path, WsUserFills& u) {
  u.is_snapshot = false;
  u.fills.clear();
  bool has_fills = false;
  bool has_user = false;
  auto st = members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "isSnapshot") {
      auto b = read_bool(s, path);
      if (!b) return b.error();
      u.is_snapshot = *b;
      return core::ok();
    }
    if (key == "user") {
      auto v = read_string(s, path);
      if (!v) return v.error();
      u.user.assign(*v);
      has_user = true;
      return core::ok();
    }
    if (key == "fills") {
      has_fills = true;
      return parse_fills(s, path, u.fills);
    }
    return skip(s, path);
  });
  if (!st) return st;
  if (!has_user) return missing(path, "user");
  if (!has_fills) return missing(path, "fills");
  return core::ok();
}

core::Status parse_user_event(Scanner& s, Path& path, WsUserEvent& e) {
  e.fills.clear();
  e.funding.reset();
  e.liquidation.reset();
  e.non_user_cancels.clear();
  return members(s, path, [&](std::string_view key) -> core::Status {
    if (key == "fills") return parse_fills(s, path, e.fills);
    if (key == "funding") {
      WsFunding f;
      unsigned seen = 0;
      auto st = members(s, path, [&](std::string_view k) -> core::Status {
        if (k == "time") {
          auto t = read_millis(s, path);
          if (!t) return t.error();
          f.time = *t;
          seen |= 1U;
        } else if (k == "coin") {
          auto c = read_string(s, path);
          if (!c) return c.error();
          f.coin.assign(*c);
          seen |= 2U;
        } else if (k == "usdc" || k == "szi" || k == "fundingRate") {
          auto d = read_decimal(s, path);
          if (!d) return d.error();
          (k == "usdc" ? f.usdc : k == "szi" ? f.szi : f.funding_rate) = *d;
          seen |= k == "usdc" ? 4U : k == "szi" ? 8U : 16U;
        } else {
          return skip(s, path);
        }
        return core::ok();
      });
      if (!st) return st;
      static constexpr std::array<std::string_view, 5> kNames{"time", "coin", "usdc", "szi", "fundingRate"};
      for (std::size_t i = 0; i < kNames.size(); ++i) {
        if ((seen & (1U << i)) == 0) return missing(path, kNames[i]);
      }
      e.funding = std::move(f);
      return core::ok();
    }
    if (key == "liquidation") {
      WsLiquidation l;
      unsigned seen = 0;
      auto st = members(s, path, [&](std::string_view k) -> core::Status {
        if (k == "lid") {
          auto id = read_uint(s, path);
          if (!id) return id.error();
          l.lid = *id;
          seen |= 1U;
        } else if (k == "liquidator" || k == "liquidated_user") {
          auto v = read_string(s, path);
          if (!v) return v.error();
          (k == "liquidator" ? l.liquidator : l.liquidated_user).assign(*v);
          seen |= k == "liquidator" ? 2U : 4U;
        } else if (k == "liquidated_ntl_pos" || k == "liquidated_account_value") {
          auto d = read_decimal(s, path);
          if (!d) return d.error();
          (k == "liquidated_ntl_pos" ? l.liquidated_ntl_pos : l.liquidated_account_value) = *d;
          seen |= k == "liquidated_ntl_pos" ? 8U : 16U;
        } else {
          return skip(s, path);
        }
        return core::ok();
      });
      if (!st) return st;
      static constexpr std::array<std::string_view, 5> kNames{"lid", "liquidator", "liquidated_user",
                                                               "liquidated_ntl_pos", "liquidated_account_value"};
      for (std::size_t i = 0; i < kNames.size(); ++i) {
        if ((seen & (1U << i)) == 0) return missing(path, kNames[i]);
      }
      e.liquidation = std::move(l);
      return core::ok();
    }
    if (key == "nonUserCancel") {
      return elements(s, path, [&](std::size_t) -> core::Status {
        WsNonUserCancel c;
        bool has_coin = false;
        bool has_oid = false;
        auto st = members(s, path, [&](std::string_view k) -> core::Status {
          if (k == "coin") {
            auto v = read_string(s, path);
            if (!v) return v.error();
            c.coin.assign(*v);
            has_coin = true;
            return core::ok();
          }
          if (k == "oid") {
            auto id = read_uint(s, path);
            if (!id) return id.error();
            c.oid = *id;
            has_oid = true;
            return core::ok();
          }
          return skip(s, path);
        });
        if (!st) return st;
        if (!has_coin) return missing(path, "coin");
        if (!has_oid) return missing(path, "oid");
        e.non_user_cancels.push_back(std::move(c));
        return core::ok();
      });
    }
    return skip(s, path);
  });
}

}  // namespace internal

bool WsOrderUpdate::is_rejected() const {
  return status == "rejected" || (status.size() > 8 && std::string_view(status).ends_with("Rejected"));
}

}  // namespace ballast::adapters::hyperliquid
