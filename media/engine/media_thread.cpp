// The media thread's poll loop (see media_thread.h).
#include "media_thread.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

namespace vphone::media {

namespace {
constexpr auto kMaxBehind = std::chrono::milliseconds{200};
}

MediaThread::MediaThread(std::chrono::microseconds tick, std::string name)
    : tick_(tick), name_(std::move(name))
{}

MediaThread::~MediaThread()
{
    stop();
}

bool MediaThread::start(std::string* error)
{
    if (thread_.joinable()) return true;
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakeFd_ < 0) {
        if (error) *error = std::string("media thread: eventfd: ") + std::strerror(errno);
        return false;
    }
    stopping_ = false;
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error& e) {
        ::close(wakeFd_);
        wakeFd_ = -1;
        if (error) *error = std::string("media thread: ") + e.what();
        return false;
    }
    return true;
}

void MediaThread::wake()
{
    if (wakeFd_ < 0) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wakeFd_, &one, sizeof one);
}

void MediaThread::post(std::function<void(TimePoint)> command)
{
    {
        std::lock_guard lock(mutex_);
        commands_.push_back(std::move(command));
    }
    wake();
}

void MediaThread::addStream(ThreadStream* stream)
{
    post([this, stream](TimePoint) { streams_.push_back(stream); });
}

void MediaThread::stop()
{
    if (!thread_.joinable()) {
        if (wakeFd_ >= 0) ::close(wakeFd_);
        wakeFd_ = -1;
        return;
    }
    post([this](TimePoint now) {
        for (ThreadStream* s : streams_)
            s->stop(now);
        streams_.clear();
        stopping_ = true;
    });
    thread_.join();
    ::close(wakeFd_);
    wakeFd_ = -1;
}

void MediaThread::run()
{
    ::pthread_setname_np(::pthread_self(), name_.substr(0, 15).c_str());
    using Clock = std::chrono::steady_clock;
    TimePoint nextTick = Clock::now();
    std::vector<std::function<void(TimePoint)>> batch;
    std::vector<int> fds;
    std::vector<std::pair<ThreadStream*, std::size_t>> owners;
    std::vector<pollfd> pfds;
    while (true) {
        TimePoint now = Clock::now();
        {
            std::lock_guard lock(mutex_);
            batch.swap(commands_);
        }
        for (auto& c : batch)
            c(now);
        batch.clear();
        if (stopping_) return;

        // Device ticks: catch up when late, re-anchor when hopelessly behind.
        if (now - nextTick > kMaxBehind) nextTick = now;
        while (nextTick <= now) {
            for (ThreadStream* s : streams_)
                s->tick(nextTick, now);
            nextTick += tick_;
        }
        TimePoint deadline = nextTick;
        for (ThreadStream* s : streams_) {
            s->onTimeout(now);
            if (auto d = s->nextDeadline(); d && *d < deadline) deadline = *d;
        }

        pfds.clear();
        owners.clear();
        pfds.push_back({wakeFd_, POLLIN, 0});
        for (ThreadStream* s : streams_) {
            fds.clear();
            s->collectFds(fds);
            for (std::size_t i = 0; i < fds.size(); ++i) {
                pfds.push_back({fds[i], POLLIN, 0});
                owners.emplace_back(s, i);
            }
        }
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        const int ready = ::poll(pfds.data(), pfds.size(), static_cast<int>(std::max<long long>(0, wait)));
        if (ready <= 0) continue;
        if (pfds[0].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] const auto n = ::read(wakeFd_, &count, sizeof count);
        }
        now = Clock::now();
        for (std::size_t i = 1; i < pfds.size(); ++i) {
            if (pfds[i].revents & (POLLIN | POLLERR))
                owners[i - 1].first->onReadable(owners[i - 1].second, now);
        }
    }
}

} // namespace vphone::media
