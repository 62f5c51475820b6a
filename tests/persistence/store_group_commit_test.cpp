// Group commit, failure isolation, durability across reopen, and Store::open's URL handling.

#include "persistence/store_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>
#include <utility>

namespace ballast::persistence::testing {
namespace {

using core::Decimal;
using core::ErrorCode;
using core::UnixNanos;

OrderRow order(std::string id, std::string account, std::int64_t created) {
  OrderRow o;
  o.client_order_id = std::move(id);
  o.account_id = std::move(account);
  o.instrument_id = "BTCUSDT-PERP.SIM";
  o.side = "BUY";
  o.type = "MARKET";
  o.time_in_force = "IOC";
  o.quantity = *Decimal::parse("0.001");
  o.status = "SUBMITTED";
  o.created = UnixNanos(created);
  o.updated = UnixNanos(created);
  return o;
}

WriteBatch order_batch(std::string id, std::string account, std::int64_t created) {
  WriteBatch batch;
  batch.events.push_back(
      runtime::EventRecord{"order." + id, "OrderSubmitted", "{}", UnixNanos(created), UnixNanos(created), 0});
  batch.orders.push_back(order(std::move(id), std::move(account), created));
  return batch;
}

// Waits until `count` callbacks have run.
class Countdown {
 public:
  explicit Countdown(int count) : remaining_(count) {}
  void done() {
    std::lock_guard lock(mutex_);
    if (--remaining_ == 0) cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return remaining_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int remaining_;
};

TEST_P(StoreContract, GroupCommitsConcurrentBatchesAndCallsBackInSubmissionOrderPerThread) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  Countdown countdown(kThreads * kPerThread);
  std::mutex mutex;
  std::vector<std::vector<int>> seen(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        store().commit_async(order_batch(id, "ACC-" + std::to_string(t), 1'000'000 + i),
                             [&, t, i](core::Status status) {
                               if (!status) failures.fetch_add(1);
                               {
                                 std::lock_guard lock(mutex);
                                 seen[static_cast<std::size_t>(t)].push_back(i);
                               }
                               countdown.done();
                             });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  countdown.wait();

  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    const auto& order_seen = seen[static_cast<std::size_t>(t)];
    ASSERT_EQ(order_seen.size(), static_cast<std::size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) ASSERT_EQ(order_seen[static_cast<std::size_t>(i)], i) << "thread " << t;
  }
  OrderQuery all;
  all.limit = 10'000;
  auto rows = store().query_orders(all);
  ASSERT_TRUE(rows) << rows.error().to_string();
  EXPECT_EQ(rows->size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*store().events().last_sequence(), static_cast<std::uint64_t>(kThreads * kPerThread));
  auto events = store().events().load(runtime::EventQuery{});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < events->size(); ++i) ASSERT_EQ((*events)[i].sequence, i + 1);
}

TEST_P(StoreContract, AFailingBatchFailsOnlyItselfWithinAGroup) {
  // Hold the writer busy with a slow first batch so the next three are queued together and committed as one
  // group; then the bad one forces the per-batch retry.
  WriteBatch big;
  for (int i = 0; i < 300; ++i) big.orders.push_back(order("BIG-" + std::to_string(i), "ACC-1", i));
  std::vector<core::Status> results(4);
  Countdown countdown(4);
  store().commit_async(std::move(big), [&](core::Status s) {
    results[0] = std::move(s);
    countdown.done();
  });
  store().commit_async(order_batch("GOOD-1", "ACC-1", 1000), [&](core::Status s) {
    results[1] = std::move(s);
    countdown.done();
  });
  WriteBatch bad = order_batch("BAD-1", "", 1001);  // violates CHECK (account_id <> '')
  bad.alerts.push_back(AlertRow{0, "ACC-1", "INFO", "X", "from the bad batch", "{}", UnixNanos(1)});
  store().commit_async(std::move(bad), [&](core::Status s) {
    results[2] = std::move(s);
    countdown.done();
  });
  store().commit_async(order_batch("GOOD-2", "ACC-1", 1002), [&](core::Status s) {
    results[3] = std::move(s);
    countdown.done();
  });
  countdown.wait();

  EXPECT_TRUE(results[0]);
  EXPECT_TRUE(results[1]);
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(results[2].error().message().find("upsert order BAD-1"), std::string::npos) << results[2].error().message();
  EXPECT_TRUE(results[3]);

  EXPECT_TRUE(store().find_order("GOOD-1")->has_value());
  EXPECT_TRUE(store().find_order("GOOD-2")->has_value());
  EXPECT_FALSE(store().find_order("BAD-1")->has_value());
  EXPECT_TRUE(store().query_alerts(TimeQuery{})->empty());
  // The bad batch's event was rolled back with it: sequences stay gap-free.
  auto events = store().events().load(runtime::EventQuery{});
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].stream, "order.GOOD-1");
  EXPECT_EQ((*events)[1].sequence, 2u);
}

TEST_P(StoreContract, SynchronousCommitReportsTheSqlErrorAndTheOperation) {
  auto status = store().commit(order_batch("BAD-2", "", 1));
  ASSERT_FALSE(status);
  const std::string& message = status.error().message();
  EXPECT_EQ(message.rfind(
                GetParam() == Backend::Sqlite ? "sqlite: upsert order BAD-2: " : "postgres: upsert order BAD-2: ", 0),
            0u)
      << message;
  std::string lower = message;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_NE(lower.find("check constraint"), std::string::npos) << message;
}

TEST_P(StoreContract, KeepsCommittedDataAfterCloseAndReopen) {
  ASSERT_TRUE(store().add_user(UserRow{0, "alice", "admin", "h", UnixNanos(1), false}));
  ASSERT_TRUE(store().save_circuit_breaker({"ACC-1", "daily_loss", "{}", true, "ARMED", UnixNanos(1)}));
  std::promise<core::Status> promise;
  WriteBatch batch = order_batch("O-1", "ACC-1", 5);
  batch.trading_states.push_back({"ACC-1", "HALTED", "test", "alice", UnixNanos(5)});
  store().commit_async(std::move(batch), [&](core::Status s) { promise.set_value(std::move(s)); });
  ASSERT_TRUE(promise.get_future().get());
  reopen();
  EXPECT_TRUE(store().find_user("alice")->has_value());
  EXPECT_EQ(store().list_circuit_breakers("ACC-1")->size(), 1u);
  EXPECT_TRUE(store().find_order("O-1")->has_value());
  EXPECT_EQ((*store().trading_state("ACC-1"))->state, "HALTED");
  EXPECT_EQ(*store().events().last_sequence(), 1u);
}

TEST_P(StoreContract, DrainsQueuedBatchesBeforeClosing) {
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) {
    store().commit_async(order_batch("Q-" + std::to_string(i), "ACC-1", i), [&](core::Status s) {
      if (s) ok.fetch_add(1);
    });
  }
  reopen();  // the destructor writes everything queued and calls every callback
  EXPECT_EQ(ok.load(), 50);
  OrderQuery all;
  all.limit = 100;
  EXPECT_EQ(store().query_orders(all)->size(), 50u);
}

TEST_P(StoreContract, RefusesASynchronousWriteFromACommitCallbackInsteadOfDeadlocking) {
  std::promise<std::pair<core::Status, core::Status>> promise;
  store().commit_async(order_batch("O-1", "ACC-1", 1), [&](core::Status s) {
    core::Status nested = store().commit(order_batch("O-2", "ACC-1", 2));
    promise.set_value({std::move(s), std::move(nested)});
  });
  auto [outer, nested] = promise.get_future().get();
  EXPECT_TRUE(outer);
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().code(), ErrorCode::InvalidState);
  EXPECT_FALSE(store().find_order("O-2")->has_value());
}

// ---- opening ----

TEST(StoreOpen, CreatesTheSqliteFileUnderAMissingParentDirectory) {
  testkit::TempDir temp;
  const auto path = temp.path() / "var" / "deep" / "ballast.db";
  auto store = Store::open(StoreOptions{"sqlite://" + path.string()});
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->backend(), Backend::Sqlite);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(StoreOpen, AcceptsAPlainFilePath) {
  testkit::TempDir temp;
  auto store = Store::open(StoreOptions{(temp.path() / "plain.db").string()});
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_TRUE(std::filesystem::exists(temp.path() / "plain.db"));
}

TEST(StoreOpen, AcceptsTheServiceConfigsSqliteColonPathForm) {
  testkit::TempDir temp;
  const auto path = temp.path() / "var" / "ballast.db";
  auto store = Store::open(StoreOptions{"sqlite:" + path.string()});
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists("sqlite:" + path.string()));
  EXPECT_FALSE(Store::open(StoreOptions{"sqlite:"}));
}

TEST(StoreOpen, ExplainsABadUrl) {
  auto empty = Store::open(StoreOptions{""});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(empty.error().message().find("empty"), std::string::npos);

  auto scheme = Store::open(StoreOptions{"mysql://root@localhost/db"});
  ASSERT_FALSE(scheme);
  EXPECT_EQ(scheme.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(scheme.error().message().find("unsupported scheme 'mysql'"), std::string::npos) << scheme.error().message();

  auto memory = Store::open(StoreOptions{":memory:"});
  ASSERT_FALSE(memory);
  EXPECT_EQ(memory.error().code(), ErrorCode::Unsupported);

  auto no_file = Store::open(StoreOptions{"sqlite://"});
  ASSERT_FALSE(no_file);
  EXPECT_NE(no_file.error().message().find("names no file"), std::string::npos) << no_file.error().message();
}

TEST(StoreOpen, RejectsAZeroBatchLimit) {
  testkit::TempDir temp;
  auto store = Store::open(StoreOptions{(temp.path() / "x.db").string(), 0});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::InvalidArgument);
}

TEST(StoreOpen, ReportsAnUnreachablePostgresServer) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto store = Store::open(StoreOptions{"postgresql://nobody@127.0.0.1:1/none"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::IoError);
  EXPECT_NE(store.error().message().find("postgres: connect to postgresql://nobody@127.0.0.1:1/none"),
            std::string::npos)
      << store.error().message();
}

TEST(StoreOpen, RejectsAMalformedPostgresSchemaName) {
  auto store = Store::open(StoreOptions{"postgresql://nobody@127.0.0.1:1/none", 4096, "Robert'); DROP"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::InvalidArgument);
}

// Not a timing assertion: prints the sustained rate of 1-order batches on SQLite for the report.
TEST(StoreOrders, KeepsTheLastOfSeveralRowsOfOneOrderInABatch) {
  testkit::TempDir temp;
  auto opened = Store::open(StoreOptions{(temp.path() / "orders.db").string()});
  ASSERT_TRUE(opened) << opened.error().to_string();
  Store& store = **opened;
  WriteBatch batch;
  batch.orders.push_back(order("O-1", "ACC-1", 100));  // SUBMITTED at 100
  OrderRow accepted = order("O-1", "ACC-1", 100);
  accepted.status = "ACCEPTED";
  accepted.venue_order_id = "V-1";
  accepted.updated = UnixNanos(200);
  batch.orders.push_back(accepted);
  batch.orders.push_back(order("O-2", "ACC-1", 150));
  ASSERT_TRUE(store.commit(std::move(batch)));
  auto o1 = store.find_order("O-1");
  ASSERT_TRUE(o1 && o1->has_value());
  EXPECT_EQ((*o1)->status, "ACCEPTED");
  EXPECT_EQ((*o1)->venue_order_id, "V-1");
  EXPECT_EQ((*o1)->created, UnixNanos(100));
  EXPECT_EQ((*o1)->updated, UnixNanos(200));
  auto o2 = store.find_order("O-2");
  ASSERT_TRUE(o2 && o2->has_value());
  EXPECT_EQ((*o2)->status, "SUBMITTED");
}

// The writer's WAL checkpoints run on a thread of their own (sqlite_driver.cpp), not inside commits. They
// must still happen while the store is open, or the WAL would grow without bound: after ~12 MB of events
// (3,000 pages beyond the 1,000-page trigger) the database file itself holds them.
TEST(StoreCheckpoint, CopiesTheWalIntoTheDatabaseFileWhileTheStoreIsOpen) {
  testkit::TempDir temp;
  const auto path = temp.path() / "checkpoint.db";
  auto opened = Store::open(StoreOptions{path.string()});
  ASSERT_TRUE(opened) << opened.error().to_string();
  Store& store = **opened;
  const auto size_before = std::filesystem::file_size(path);
  const std::string payload(4000, 'x');
  for (int b = 0; b < 10; ++b) {
    WriteBatch batch;
    for (int i = 0; i < 300; ++i) {
      batch.events.push_back(runtime::EventRecord{"stream." + std::to_string(b), "Big", payload, UnixNanos(i), UnixNanos(i), 0});
    }
    ASSERT_TRUE(store.commit(std::move(batch)));
  }
  // 3,000 × 4,000 bytes = 12 MB of payload; a completed checkpoint leaves at least 8 MB in the file.
  std::uintmax_t size = 0;
  for (int waited_ms = 0; waited_ms < 20'000; waited_ms += 20) {
    size = std::filesystem::file_size(path);
    if (size >= 8'000'000) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(size, 8'000'000u) << "database file was " << size_before << " bytes before";
  auto last = store.events().last_sequence();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 3000u);
}

TEST(StoreThroughput, CommitsManySingleOrderBatchesOnSqlite) {
  testkit::TempDir temp;
  auto opened = Store::open(StoreOptions{(temp.path() / "rate.db").string()});
  ASSERT_TRUE(opened);
  Store& store = **opened;
  constexpr int kBatches = 5000;
  Countdown countdown(kBatches);
  std::atomic<int> ok{0};
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kBatches; ++i) {
    WriteBatch batch;
    batch.orders.push_back(order("R-" + std::to_string(i), "ACC-1", i));
    store.commit_async(std::move(batch), [&](core::Status s) {
      if (s) ok.fetch_add(1);
      countdown.done();
    });
  }
  countdown.wait();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ rate     ] " << kBatches << " single-order batches durable in " << seconds
            << " s = " << static_cast<double>(kBatches) / seconds << " batches/s\n";
  EXPECT_EQ(ok.load(), kBatches);
}

}  // namespace
}  // namespace ballast::persistence::testing
