#pragma once
// EventStore: the durable log of everything that must survive a crash — order events and fills, risk
// configuration changes, circuit-breaker events — and snapshots of the trading state (DESIGN.md §1.5,
// "durable before acknowledged"). Implementations live in persistence/ (SQLite, PostgreSQL).
//
// Records: the store is schema-agnostic. Each record names its stream ("order.O-123",
// "risk.config", "breaker.daily_loss"), its stable type ("OrderFilled") and carries a payload
// serialized by its producer (JSON), so modules above persistence can store their own events without
// the store depending on them. Within a stream, records keep the order they were appended in.
//
// Sequencing: the store assigns every record a global sequence number, strictly increasing and gap-free
// in append order (1, 2, 3, …). A state snapshot names the last sequence it includes, so recovery loads
// the latest snapshot and replays the records after it.
//
// Durability: append() returns only after the records are durable — committed and flushed to stable
// storage (SQLite: a committed transaction with synchronous=FULL; PostgreSQL: a committed transaction).
// A batch is atomic: all of its records become durable and visible, or none. After an error nothing
// was written. save_snapshot() has the same guarantee.
//
// Threading: called from the kernel thread only; append() blocks it until the write is durable. An
// implementation may write through a dedicated thread or connection, but must not return early.
// Several processes may share one PostgreSQL store (DESIGN.md §6); sequences stay global and gap-free.

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::runtime {

struct EventRecord {
  std::string stream;         // what the event is about, e.g. "order.O-123"
  std::string type;           // stable event name, e.g. "OrderFilled"
  std::string payload;        // the event, serialized by its producer
  core::UnixNanos ts_event;   // when it happened
  core::UnixNanos ts_init;    // when Ballast created it
  std::uint64_t sequence = 0; // global sequence; assigned by append() (0 in records not yet stored)
};

// Which records to load; unset fields match everything. Results are ordered by sequence.
struct EventQuery {
  std::optional<std::string> stream;         // exactly this stream
  std::optional<std::string> stream_prefix;  // streams starting with this, e.g. "order."
  std::uint64_t after_sequence = 0;          // records with sequence > this
  std::optional<core::UnixNanos> from;       // ts_event >= from
  std::optional<core::UnixNanos> to;         // ts_event < to
  std::size_t limit = 0;                     // at most this many (0 = no limit)
};

// A serialized image of the trading state (orders, positions, accounts, breaker states) as of
// `sequence`: it includes every record up to and including that sequence.
struct StateSnapshot {
  std::uint64_t sequence = 0;
  core::UnixNanos ts_taken;
  std::string format;   // payload format and version, e.g. "ballast.state.v1"
  std::string payload;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends the records atomically and durably; returns the sequence assigned to the last one (the
  // others precede it contiguously). The records' own `sequence` fields are ignored. An empty batch
  // writes nothing and returns last_sequence().
  virtual core::Result<std::uint64_t> append(std::span<const EventRecord> records) = 0;
  // Records of one stream with sequence > after_sequence, in order.
  virtual core::Result<std::vector<EventRecord>> load_stream(std::string_view stream,
                                                             std::uint64_t after_sequence = 0) = 0;
  virtual core::Result<std::vector<EventRecord>> load(const EventQuery& query) = 0;
  // The highest sequence stored (0 when empty).
  virtual core::Result<std::uint64_t> last_sequence() = 0;

  // Stores a snapshot durably. Errors: a sequence beyond last_sequence() (InvalidArgument).
  virtual core::Status save_snapshot(const StateSnapshot& snapshot) = 0;
  // The snapshot with the highest sequence, or nullopt when none was saved.
  virtual core::Result<std::optional<StateSnapshot>> load_latest_snapshot() = 0;
};

}  // namespace ballast::runtime
