// The media thread of one session: a plain std::thread around poll().
//
// Theory of operation. The thread waits in poll() on every stream socket and an eventfd that
// post() writes to; the timeout is the earliest of the next 20 ms device tick (steady clock,
// frame k at start + k * 20 ms) and the streams' RTCP/DTLS deadlines. After a late wake-up
// it runs the missed ticks at once (catching up) unless it fell more than 200 ms behind, when
// it re-anchors the schedule instead of bursting. Commands (std::function) are the only way
// in: the signalling thread posts them and the thread runs them between ticks, so streams are
// touched by exactly one thread. stop() runs each stream's stop() (RTCP BYE) on the thread,
// then joins it. Nothing here blocks except poll() itself.
#pragma once

#include "thread_stream.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vphone::media {

class MediaThread {
public:
    /// `name` (at most 15 characters) shows in top -H and /proc/PID/task/*/comm.
    explicit MediaThread(std::chrono::microseconds tick = std::chrono::milliseconds{20},
                         std::string name = "vphone-audio");
    ~MediaThread();
    MediaThread(const MediaThread&) = delete;
    MediaThread& operator=(const MediaThread&) = delete;

    /// Starts the thread (once); false with `error` set if the system refused.
    bool start(std::string* error = nullptr);
    bool running() const { return thread_.joinable(); }
    /// Runs `command` on the media thread soon (in posting order).
    void post(std::function<void(TimePoint now)> command);
    /// Adds a stream the thread drives from now on; it must outlive the thread.
    void addStream(ThreadStream* stream);
    /// Stops every stream (BYE) and joins. Idempotent.
    void stop();

private:
    void run();
    void wake();

    std::chrono::microseconds tick_;
    std::string name_;
    std::thread thread_;
    int wakeFd_ = -1;
    std::mutex mutex_;
    std::vector<std::function<void(TimePoint)>> commands_;
    std::atomic<bool> stopping_{false};
    std::vector<ThreadStream*> streams_; // media thread only
};

} // namespace vphone::media
