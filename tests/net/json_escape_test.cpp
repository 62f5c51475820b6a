#include "ballast/net/json_escape.hpp"

#include "ballast/net/http_types.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace ballast::net {
namespace {

TEST(JsonQuote, WrapsPlainTextInQuotes) { EXPECT_EQ(json_quote("abc"), "\"abc\""); }

TEST(JsonQuote, EscapesQuotesAndBackslashes) { EXPECT_EQ(json_quote(R"(a"b\c)"), R"("a\"b\\c")"); }

TEST(JsonQuote, EscapesNamedControlCharacters) { EXPECT_EQ(json_quote("\b\f\n\r\t"), R"("\b\f\n\r\t")"); }

TEST(JsonQuote, EscapesOtherControlCharactersAsUnicode) {
  EXPECT_EQ(json_quote(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(json_quote(std::string(1, '\0')), R"("\u0000")");
}

TEST(JsonQuote, PassesUtf8Through) { EXPECT_EQ(json_quote("prix €"), "\"prix €\""); }

TEST(JsonQuote, EscapesAtTheStartInTheMiddleAndAtTheEndOfPlainRuns) {
  // Expected by hand (RFC 8259 §7): each escape splits the plain text around it.
  EXPECT_EQ(json_quote("\"ab\ncd\\"), R"("\"ab\ncd\\")");
  EXPECT_EQ(json_quote("\x01\x7f"), R"("\u0001\u007f")");
  EXPECT_EQ(json_quote(""), R"("")");
  std::string out = "x";
  append_json_quoted(out, "O-1");
  EXPECT_EQ(out, R"(x"O-1")");
}

TEST(JsonQuote, RoundTripsEveryByteThroughAJsonParser) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  // The independent check: nlohmann::json parses our literal back to the original text.
  EXPECT_EQ(nlohmann::json::parse(json_quote(all)).get<std::string>(), all);
}

TEST(HttpResponseError, BuildsTheErrorEnvelopeWithField) {
  const auto response = HttpResponse::error(422, "INVALID", "price \"x\" is not a number", "order.price");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.content_type, "application/json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "INVALID");
  EXPECT_EQ(body["error"]["message"], "price \"x\" is not a number");
  EXPECT_EQ(body["error"]["field"], "order.price");
}

TEST(HttpResponseError, UsesNullFieldWhenNoFieldIsGiven) {
  const auto body = nlohmann::json::parse(HttpResponse::error(404, "NOT_FOUND", "a\\b\n").body);
  EXPECT_TRUE(body["error"]["field"].is_null());
  EXPECT_EQ(body["error"]["message"], "a\\b\n");
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percent_decode("/a%20b%2Fc+d", false).value(), "/a b/c+d");
  EXPECT_EQ(percent_decode("a+b", true).value(), "a b");
  EXPECT_FALSE(percent_decode("%4", false).has_value());
  EXPECT_FALSE(percent_decode("%zz", false).has_value());
}

TEST(ParseQuery, KeepsOrderAndDecodes) {
  const auto query = parse_query("b=2&a=x%20y&flag&b=3&");
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(query[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(query[1], (std::pair<std::string, std::string>{"a", "x y"}));
  EXPECT_EQ(query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(query[3], (std::pair<std::string, std::string>{"b", "3"}));
}

TEST(HttpRequest, FindsHeadersCaseInsensitivelyAndFirstQueryParameter) {
  HttpRequest request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-Id", "1"}};
  request.query = {{"n", "1"}, {"n", "2"}};
  EXPECT_EQ(request.header("content-type").value(), "text/plain");
  EXPECT_FALSE(request.header("missing").has_value());
  EXPECT_EQ(request.query_param("n").value(), "1");
  EXPECT_FALSE(request.query_param("N").has_value());
}

}  // namespace
}  // namespace ballast::net
