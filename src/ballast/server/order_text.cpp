// The order view written straight into a string (json_views::order_text): the keys and values of
// json_views::order, in the same order nlohmann writes them (its objects are sorted by key), without
// building a DOM. POST /api/orders answers with it and the order events carry it as their payload.

#include "ballast/model/enums.hpp"
#include "ballast/net/json_escape.hpp"
#include "ballast/server/internal/json_views.hpp"

namespace ballast::server::json_views {
namespace {

// Appends `"key":` after a '{' or a ',' (the first field opens the object).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) {}
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  void text(std::string_view key, std::string_view value) {
    name(key);
    net::append_json_quoted(out_, value);
  }
  void optional_text(std::string_view key, const std::optional<std::string>& value) {
    if (value) {
      text(key, *value);
    } else {
      name(key);
      out_ += "null";
    }
  }
  void boolean(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
  }
  void close() { out_ += first_ ? "{}" : "}"; }

 private:
  void name(std::string_view key) {
    out_.push_back(first_ ? '{' : ',');
    first_ = false;
    net::append_json_quoted(out_, key);
    out_.push_back(':');
  }

  std::string& out_;
  bool first_ = true;
};

std::optional<std::string> price_text(const std::optional<model::Price>& p) {
  if (!p) return std::nullopt;
  return decimal_text(p->value());
}

}  // namespace

void append_order_text(std::string& out, const model::Order& o) {
  ObjectWriter w(out);
  // Sorted by key, as nlohmann::json (a std::map) writes json_views::order.
  w.text("account_id", o.account_id().value());
  w.optional_text("avg_fill_price", price_text(o.avg_px()));
  w.text("created", time_text(o.ts_init()));
  w.text("filled_quantity", decimal_text(o.filled_qty().value()));
  w.text("id", o.client_order_id().value());
  w.text("instrument_id", o.instrument_id().value());
  w.text("leaves_quantity", decimal_text(o.leaves_qty().value()));
  w.boolean("post_only", o.is_post_only());
  w.optional_text("price", price_text(o.price()));
  w.text("quantity", decimal_text(o.quantity().value()));
  w.text("reason", o.status_reason());
  w.boolean("reduce_only", o.is_reduce_only());
  w.text("side", model::to_string(o.side()));
  w.text("status", model::to_string(o.status()));
  w.text("strategy_id", o.strategy_id().value());
  w.text("symbol", o.instrument_id().symbol());
  w.text("time_in_force", model::to_string(o.time_in_force()));
  w.optional_text("trigger_price", price_text(o.trigger_price()));
  w.text("type", model::to_string(o.type()));
  w.text("updated", time_text(o.ts_last()));
  w.text("venue", o.instrument_id().venue_name());
  if (o.venue_order_id()) {
    w.text("venue_order_id", o.venue_order_id()->value());
  } else {
    w.optional_text("venue_order_id", std::nullopt);
  }
  w.close();
}

std::string order_text(const model::Order& o) {
  std::string out;
  out.reserve(640);
  append_order_text(out, o);
  return out;
}

std::string order_message_text(std::string_view event, const std::string& order) {
  // {"data":…,"event":…,"type":"order"}: the keys in nlohmann's (sorted) order.
  std::string out;
  out.reserve(order.size() + event.size() + 40);
  out += "{\"data\":";
  out += order;
  out += ",\"event\":";
  net::append_json_quoted(out, event);
  out += ",\"type\":\"order\"}";
  return out;
}

}  // namespace ballast::server::json_views
