// ConferenceVideo: see conference_video.h for the theory of operation.
#include "conference_video.h"

#include <pthread.h>

namespace vphone::media {

struct ConferenceVideo::Shared {
    Shared(int w, int h, int f, VideoCompositor::Layout layout)
        : compositor(w, h, layout), width(w), height(h), fps(f),
          encoders(std::make_shared<SharedVideoEncoders>(
              [this](std::uint64_t seen, std::uint64_t& seq, VideoFrame& out) {
                  return newest(seen, seq, out);
              },
              f))
    {}
    /// The composite when it is not `seen` (the encoders' source).
    bool newest(std::uint64_t seen, std::uint64_t& seq, VideoFrame& out) const
    {
        std::lock_guard lock(mutex);
        if (sequence == seen || !published.valid()) return false;
        seq = sequence;
        out.width = published.width;
        out.height = published.height;
        out.data.assign(published.data.begin(), published.data.end());
        out.captured = published.captured;
        return true;
    }
    VideoCompositor compositor;
    int width, height, fps;
    mutable std::mutex mutex; ///< published, sequence
    VideoFrame published;
    std::uint64_t sequence = 0;
    std::shared_ptr<SharedVideoEncoders> encoders; ///< the composite, once per encoding
};

namespace {

/// A participant's video source: the newest composite, each one once, raw (capture()) or
/// encoded in a group shared with the participants that want the same encoding (encoded()).
class CompositeSource final : public EncodedVideoSource {
public:
    explicit CompositeSource(std::shared_ptr<ConferenceVideo::Shared> shared)
        : shared_(std::move(shared)), member_(shared_->encoders)
    {}
    int width() const override { return shared_->width; }
    int height() const override { return shared_->height; }
    int fps() const override { return shared_->fps; }
    bool capture(std::chrono::steady_clock::time_point, VideoFrame& out) override
    {
        std::uint64_t seq = 0;
        if (!shared_->newest(seen_, seq, out)) return false;
        seen_ = seq;
        return true;
    }
    MediaResult<bool> encoded(std::chrono::steady_clock::time_point, const EncodeRequest& request,
                              std::vector<SharedEncodedFrame>& out) override
    {
        return member_.encoded(request, out);
    }
    std::string describe() const override { return "conference composite"; }

private:
    std::shared_ptr<ConferenceVideo::Shared> shared_; ///< before member_: outlives it
    SharedVideoEncoders::Member member_;
    std::uint64_t seen_ = 0;
};

/// A participant's decoded frames into its cell.
class CellSink final : public VideoSink {
public:
    CellSink(std::shared_ptr<ConferenceVideo::Shared> shared, int id) : shared_(std::move(shared)), id_(id) {}
    void write(const VideoFrame& frame, std::chrono::steady_clock::time_point) override
    {
        shared_->compositor.submit(id_, frame);
    }

private:
    std::shared_ptr<ConferenceVideo::Shared> shared_;
    int id_;
};

} // namespace

ConferenceVideo::ConferenceVideo(int width, int height, int fps, VideoCompositor::Layout layout,
                                 std::function<std::optional<int>()> activeSpeaker)
    : fps_(fps), shared_(std::make_shared<Shared>(width, height, fps, layout)),
      activeSpeaker_(std::move(activeSpeaker))
{}

ConferenceVideo::~ConferenceVideo()
{
    stop();
}

bool ConferenceVideo::start(std::string* error)
{
    if (thread_.joinable()) return true;
    stopping_.store(false);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error& e) {
        if (error) *error = std::string("conference video thread: ") + e.what();
        return false;
    }
    return true;
}

void ConferenceVideo::stop()
{
    stopping_.store(true);
    if (thread_.joinable()) thread_.join();
}

void ConferenceVideo::add(int id)
{
    shared_->compositor.add(id);
}

void ConferenceVideo::remove(int id)
{
    shared_->compositor.remove(id);
    std::lock_guard lock(hostMutex_);
    if (id == hostId_) {
        hostSource_.reset();
        hostId_ = 0;
    }
}

std::unique_ptr<VideoSource> ConferenceVideo::sourceFor(int)
{
    return std::make_unique<CompositeSource>(shared_);
}

std::unique_ptr<VideoSink> ConferenceVideo::sinkFor(int id)
{
    return std::make_unique<CellSink>(shared_, id);
}

void ConferenceVideo::setHostSource(int id, std::unique_ptr<VideoSource> source)
{
    std::lock_guard lock(hostMutex_);
    hostId_ = id;
    hostSource_ = std::move(source);
}

void ConferenceVideo::setHostSink(std::shared_ptr<VideoSink> sink)
{
    std::lock_guard lock(hostMutex_);
    hostSink_ = std::move(sink);
}

MediaResult<bool> ConferenceVideo::composeOnce()
{
    const auto now = std::chrono::steady_clock::now();
    std::shared_ptr<VideoSink> hostSink;
    {
        std::lock_guard lock(hostMutex_);
        if (hostSource_ && hostSource_->capture(now, hostFrame_))
            shared_->compositor.submit(hostId_, hostFrame_);
        hostSink = hostSink_;
    }
    if (activeSpeaker_) shared_->compositor.setSpeaker(activeSpeaker_());
    auto ok = shared_->compositor.compose(back_);
    if (!ok) return ok;
    back_.captured = now;
    // The GUI's copy first, outside the lock the participants' sources take.
    if (hostSink) hostSink->write(back_, now);
    {
        std::lock_guard lock(shared_->mutex);
        std::swap(shared_->published, back_);
        ++shared_->sequence;
    }
    return true;
}

SharedVideoEncoders::Stats ConferenceVideo::encoderStats() const
{
    return shared_->encoders->stats();
}

std::uint64_t ConferenceVideo::composed() const
{
    std::lock_guard lock(shared_->mutex);
    return shared_->sequence;
}

VideoFrame ConferenceVideo::latest() const
{
    std::lock_guard lock(shared_->mutex);
    return shared_->published;
}

void ConferenceVideo::run()
{
    pthread_setname_np(pthread_self(), "vphone-compose");
    using Clock = std::chrono::steady_clock;
    const auto tick = std::chrono::microseconds{1'000'000 / fps_};
    auto next = Clock::now();
    while (!stopping_.load()) {
        const auto now = Clock::now();
        if (now < next) {
            std::this_thread::sleep_for(std::min<Clock::duration>(next - now, tick));
            continue;
        }
        // A late composite is skipped, not caught up: only the newest picture matters.
        (void)composeOnce();
        next += tick;
        if (Clock::now() > next) next = Clock::now();
    }
}

} // namespace vphone::media
