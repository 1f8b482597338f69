// What a MediaThread drives: a stream's sockets, its frame tick and its timers.
#pragma once

#include "rtp/media_clock.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace vphone::media {

class ThreadStream {
public:
    /// File descriptors to poll, tagged with their index for onReadable().
    virtual void collectFds(std::vector<int>& fds) const = 0;
    /// The descriptor with this index (as collected) is readable.
    virtual void onReadable(std::size_t index, TimePoint now) = 0;
    /// One frame period of the thread (20 ms for audio, 1/fps for video).
    virtual void tick(TimePoint frameTime, TimePoint now) = 0;
    /// When onTimeout() must run next (RTCP, DTLS retransmission, retransmission waits).
    virtual std::optional<TimePoint> nextDeadline() const = 0;
    virtual void onTimeout(TimePoint now) = 0;
    /// Sends RTCP BYE and DTLS close_notify, closes the sink.
    virtual void stop(TimePoint now) = 0;

protected:
    ~ThreadStream() = default;
};

} // namespace vphone::media
