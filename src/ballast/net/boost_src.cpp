// The one translation unit that compiles Asio, Asio's SSL support and Beast (separate-compilation mode,
// DESIGN.md §4). Every other file that uses them includes only their headers.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
