#pragma once
// Builders for the /exchange L1 actions, with the fields in exactly the order the official Python SDK
// (hyperliquid/utils/signing.py, exchange.py) builds them — the order is part of what is signed:
//   order          {"type":"order","orders":[{"a","b","p","s","r","t"[,"c"]}],"grouping"[,"builder":{"b","f"}]}
//                  t = {"limit":{"tif":"Gtc"|"Ioc"|"Alo"}} | {"trigger":{"isMarket","triggerPx","tpsl"}}
//   cancel         {"type":"cancel","cancels":[{"a","o"}]}
//   cancelByCloid  {"type":"cancelByCloid","cancels":[{"asset","cloid"}]}
//   modify         {"type":"modify","oid","order"}    batchModify {"type":"batchModify","modifies":[{"oid","order"}]}
//   updateLeverage {"type":"updateLeverage","asset","isCross","leverage"}
//   scheduleCancel {"type":"scheduleCancel"[,"time"]}  (dead man's switch; no time = unschedule)
// Prices and sizes go through wire_format.hpp's rules; a violation is an error naming the path
// ("orders[0].p"), never a silent rounding.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ballast/adapters/hyperliquid/hex.hpp"
#include "ballast/adapters/hyperliquid/wire_format.hpp"
#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid {

// A client order id: 16 bytes, written "0x" + 32 lower-case hex digits.
class Cloid {
 public:
  static core::Result<Cloid> parse(std::string_view text, std::string_view field = "cloid");
  // Deterministic: the first 16 bytes of keccak256(client order id), so a retried submission carries the
  // same cloid and an order whose acknowledgement was lost can be found again by it.
  static Cloid from_client_order_id(const core::ClientOrderId& id);
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  std::string to_wire() const { return to_hex(bytes_); }
  friend bool operator==(const Cloid&, const Cloid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// What the builders need to know about an asset (from /info meta; index = position in the universe,
// spot assets are 10000 + spot index).
struct AssetSpec {
  std::uint32_t index = 0;
  int sz_decimals = 0;
  MarketKind kind = MarketKind::Perp;
};

enum class Tif { Gtc, Ioc, Alo };
enum class Tpsl { Tp, Sl };
std::string_view to_wire(Tif tif) noexcept;
std::string_view to_wire(Tpsl tpsl) noexcept;

struct LimitOrderType {
  Tif tif = Tif::Gtc;
};
struct TriggerOrderType {
  bool is_market = true;
  core::Decimal trigger_px;
  Tpsl tpsl = Tpsl::Sl;
};

struct OrderRequest {
  AssetSpec asset;
  bool is_buy = true;
  core::Decimal limit_px;
  core::Decimal size;
  bool reduce_only = false;
  std::variant<LimitOrderType, TriggerOrderType> type = LimitOrderType{};
  std::optional<Cloid> cloid;
};

enum class Grouping { Na, NormalTpsl, PositionTpsl };
std::string_view to_wire(Grouping grouping) noexcept;

struct BuilderFee {
  Address builder{};
  std::uint64_t fee_tenths_bp = 0;  // "f": in tenths of a basis point
};

struct CancelRequest {
  std::uint32_t asset = 0;
  std::uint64_t oid = 0;
};
struct CancelByCloidRequest {
  std::uint32_t asset = 0;
  Cloid cloid;
};
struct ModifyRequest {
  std::variant<std::uint64_t, Cloid> order_id;  // venue oid or cloid of the order to change
  OrderRequest order;
};

// The order wire {"a","b","p","s","r","t"[,"c"]}; `path` prefixes error locations.
core::Result<WireValue> order_wire(const OrderRequest& order, const std::string& path);
core::Result<WireValue> order_action(const std::vector<OrderRequest>& orders, Grouping grouping = Grouping::Na,
                                     const std::optional<BuilderFee>& builder = std::nullopt);
WireValue cancel_action(const std::vector<CancelRequest>& cancels);
WireValue cancel_by_cloid_action(const std::vector<CancelByCloidRequest>& cancels);
core::Result<WireValue> modify_action(const ModifyRequest& modify);
core::Result<WireValue> batch_modify_action(const std::vector<ModifyRequest>& modifies);
WireValue update_leverage_action(std::uint32_t asset, bool is_cross, std::uint32_t leverage);
// `time_ms`: when all open orders are cancelled (the exchange requires ≥ 5 s ahead); nullopt removes the
// scheduled cancel.
WireValue schedule_cancel_action(std::optional<std::uint64_t> time_ms);

}  // namespace ballast::adapters::hyperliquid
