#pragma once
// Router: maps (method, path pattern) to an HttpHandler. Patterns are '/'-separated segments; a segment
// "{name}" matches any one non-empty segment and is stored in HttpRequest::path_params. When several
// patterns match a path, the one with a literal segment at the first point of difference wins
// ("/api/orders/open" beats "/api/orders/{id}"). A path that matches no pattern gets 404 NOT_FOUND;
// one that matches patterns only for other methods gets 405 METHOD_NOT_ALLOWED with an Allow header.
// HEAD is not implied by GET. Trailing slashes matter only as empty segments ("/a/" != "/a").
//
// add() is not thread-safe; build the router before the server starts. dispatch() is const and safe
// to call from several threads at once.

#include <string>
#include <vector>

#include "ballast/net/http_types.hpp"

namespace ballast::net {

class Router {
 public:
  void add(std::string method, std::string pattern, HttpHandler handler);
  void dispatch(HttpRequest&& request, Responder respond) const;

  struct Route {
    std::string method;
    std::string pattern;
  };
  std::vector<Route> routes() const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    HttpHandler handler;
  };
  std::vector<Entry> entries_;
};

}  // namespace ballast::net
