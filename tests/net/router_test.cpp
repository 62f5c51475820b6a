#include "ballast/net/router.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ballast::net {
namespace {

// Dispatches synchronously and captures the response (every handler here responds inline).
HttpResponse call(const Router& router, std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  std::optional<HttpResponse> out;
  router.dispatch(std::move(request), [&out](HttpResponse response) { out = std::move(response); });
  EXPECT_TRUE(out.has_value());
  return out.value_or(HttpResponse{});
}

HttpHandler reply(std::string tag) {
  return [tag](HttpRequest&& request, Responder respond) {
    std::string body = tag;
    for (const auto& [name, value] : request.path_params) body += " " + name + "=" + value;
    respond(HttpResponse::json(200, body));
  };
}

TEST(Router, FillsPathParameters) {
  Router router;
  router.add("GET", "/api/positions/{venue}/{symbol}", reply("pos"));
  const auto response = call(router, "GET", "/api/positions/binance/BTCUSDT");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "pos symbol=BTCUSDT venue=binance");
}

TEST(Router, PrefersLiteralSegmentsOverParameters) {
  Router router;
  router.add("GET", "/api/orders/{id}", reply("by-id"));
  router.add("GET", "/api/orders/open", reply("open"));
  EXPECT_EQ(call(router, "GET", "/api/orders/open").body, "open");
  EXPECT_EQ(call(router, "GET", "/api/orders/42").body, "by-id id=42");
}

TEST(Router, PrefersTheEarlierLiteralWhenPatternsDifferLater) {
  Router router;
  router.add("GET", "/a/{x}/c", reply("param-first"));
  router.add("GET", "/a/b/{y}", reply("literal-first"));
  EXPECT_EQ(call(router, "GET", "/a/b/c").body, "literal-first y=c");
}

TEST(Router, AnswersNotFoundForUnknownPathsAndEmptyParameters) {
  Router router;
  router.add("GET", "/api/orders/{id}", reply("by-id"));
  const auto missing = call(router, "GET", "/api/nothing");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(call(router, "GET", "/api/orders/").status, 404u);
}

TEST(Router, AnswersMethodNotAllowedWithAllowHeader) {
  Router router;
  router.add("GET", "/api/orders", reply("list"));
  router.add("POST", "/api/orders", reply("create"));
  const auto response = call(router, "DELETE", "/api/orders");
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "METHOD_NOT_ALLOWED");
  EXPECT_EQ(response.header("Allow").value_or(""), "GET, POST");
}

TEST(Router, ListsRoutesInRegistrationOrder) {
  Router router;
  router.add("GET", "/api/a", reply("a"));
  router.add("POST", "/api/b/{id}", reply("b"));
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/a");
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].pattern, "/api/b/{id}");
}

}  // namespace
}  // namespace ballast::net
