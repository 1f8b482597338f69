// SharedVideoEncoders: see shared_video_encoder.h for the theory of operation.
#include "shared_video_encoder.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

namespace vphone::media {

namespace {

/// Encoded frames a group keeps for members whose tick came late.
constexpr std::size_t kKeep = 8;
/// A member's bitrate counts while it asked this recently.
constexpr auto kStale = std::chrono::seconds{1};
/// A member starts at a keyframe among the group's newest this many frames.
constexpr std::size_t kStartWithin = 3;
/// A group's keyframes on request are at least this far apart in picture time.
constexpr auto kMinKeyGap = std::chrono::milliseconds{300};

bool sameKey(const VideoEncoderSettings& a, const VideoEncoderSettings& b)
{
    return a.codec == b.codec && a.width == b.width && a.height == b.height && a.fps == b.fps &&
           a.h264MaxSliceBytes == b.h264MaxSliceBytes;
}

} // namespace

struct SharedVideoEncoders::Group {
    explicit Group(const VideoEncoderSettings& k) : key(k) {}
    VideoEncoderSettings key;
    std::mutex mutex; ///< everything below
    std::unique_ptr<VideoEncoder> encoder;
    struct Target {
        int kbps;
        std::chrono::steady_clock::time_point at; ///< when the member last asked
    };
    std::map<const Member*, Target> kbps; ///< each member's target
    std::uint64_t seen = 0;               ///< the picture last taken
    VideoFrame picture;
    std::optional<std::chrono::steady_clock::time_point> lastCaptured; ///< of the last frame encoded
    std::uint64_t produced = 0;                                        ///< frames are numbered 1..produced
    std::deque<SharedEncodedFrame> recent; ///< frames produced - size + 1 .. produced
    bool keyWanted = true;
    std::optional<std::chrono::steady_clock::time_point> lastKey; ///< capture time of the last keyframe
};

SharedVideoEncoders::SharedVideoEncoders(Newest newest, int sourceFps)
    : newest_(std::move(newest)), sourceFps_(sourceFps)
{}

SharedVideoEncoders::~SharedVideoEncoders() = default;

std::shared_ptr<SharedVideoEncoders::Group> SharedVideoEncoders::join(const VideoEncoderSettings& key)
{
    std::lock_guard lock(mutex_);
    std::erase_if(groups_, [](const auto& g) { return g.expired(); });
    for (const auto& weak : groups_) {
        if (auto g = weak.lock(); g && sameKey(g->key, key)) return g;
    }
    auto g = std::make_shared<Group>(key);
    groups_.push_back(g);
    return g;
}

SharedVideoEncoders::Stats SharedVideoEncoders::stats() const
{
    Stats s;
    std::vector<std::shared_ptr<Group>> live;
    {
        std::lock_guard lock(mutex_);
        for (const auto& weak : groups_) {
            if (auto g = weak.lock()) live.push_back(std::move(g));
        }
    }
    for (const auto& g : live) {
        std::lock_guard lock(g->mutex);
        if (g->kbps.empty()) continue;
        ++s.groups;
        if (g->encoder) ++s.encoders;
        s.each.push_back({g->key.codec, g->key.width, g->key.height, g->key.fps, g->kbps.size(),
                          g->encoder ? g->encoder->settings().bitrateKbps : 0});
    }
    s.encodersCreated = created_.load();
    s.framesEncoded = encoded_.load();
    s.keyframes = keyframes_.load();
    s.keyframesDeferred = deferred_.load();
    return s;
}

SharedVideoEncoders::Member::Member(std::shared_ptr<SharedVideoEncoders> owner) : owner_(std::move(owner)) {}

SharedVideoEncoders::Member::~Member()
{
    leave();
}

void SharedVideoEncoders::Member::leave()
{
    if (!group_) return;
    {
        std::lock_guard lock(group_->mutex);
        group_->kbps.erase(this);
    }
    group_.reset(); // the last member's reset ends the group and its encoder
    synced_ = false;
}

MediaResult<bool> SharedVideoEncoders::Member::encoded(const EncodeRequest& request,
                                                       std::vector<SharedEncodedFrame>& out)
{
    if (!group_ || !sameKey(group_->key, request.settings)) {
        leave();
        group_ = owner_->join(request.settings);
    }
    auto& g = *group_;
    std::lock_guard lock(g.mutex);
    const auto now = std::chrono::steady_clock::now();
    g.kbps[this] = {request.settings.bitrateKbps, now};
    // A keyframe this member wants is satisfied by one it gets now (another member's request).
    const bool wantsKey = request.keyframe || !synced_;

    // A new picture: encode it for everyone; a group below the pictures' rate when most of its
    // period has passed (a quarter period of slack for the compose ticks' jitter: a 15 fps
    // group takes every second picture of 30).
    std::uint64_t seq = 0;
    if (owner_->newest_(g.seen, seq, g.picture)) {
        g.seen = seq;
        const auto period = std::chrono::microseconds(1'000'000 / std::max(1, g.key.fps));
        const bool due = g.key.fps >= owner_->sourceFps_ || !g.lastCaptured ||
                         g.picture.captured - *g.lastCaptured >= period - period / 4;
        if (due) {
            // The lowest target among the members still asking (one on hold stops asking and
            // holds no one back after kStale).
            int kbps = request.settings.bitrateKbps;
            for (const auto& [member, target] : g.kbps) {
                if (now - target.at < kStale) kbps = std::min(kbps, target.kbps);
            }
            if (!g.encoder) {
                VideoEncoderSettings settings = g.key;
                settings.bitrateKbps = kbps;
                settings.threads = request.settings.threads;
                auto made = VideoEncoder::create(settings);
                if (!made) return made.error();
                g.encoder = std::move(*made);
                owner_->created_.fetch_add(1);
                g.keyWanted = true;
            } else {
                // As VideoStream::ensureEncoder(): x264 retunes in place, VP8 is recreated (with a
                // keyframe), so it follows only changes above 20 %.
                const auto& s = g.encoder->settings();
                const int step = s.codec == VideoCodecId::Vp8 ? 5 : 20;
                if (std::abs(s.bitrateKbps - kbps) * step > s.bitrateKbps) g.encoder->setBitrate(kbps);
            }
            // Keyframes on request at most once per kMinKeyGap of pictures, however many members
            // ask (a PLI from each of eight peers after a loss burst is one keyframe, not eight);
            // a request inside the gap is kept and served when the gap has passed.
            bool key = g.keyWanted || wantsKey;
            if (key && g.lastKey && g.picture.captured - *g.lastKey < kMinKeyGap) {
                g.keyWanted = true;
                key = false;
                owner_->deferred_.fetch_add(1);
            }
            auto frame = std::make_shared<EncodedVideoFrame>();
            auto ok = g.encoder->encode(g.picture, key, *frame);
            if (!ok) return ok.error();
            if (*ok && !frame->data.empty()) {
                g.lastCaptured = g.picture.captured;
                if (frame->keyframe) {
                    g.keyWanted = false;
                    g.lastKey = g.picture.captured;
                    owner_->keyframes_.fetch_add(1);
                }
                owner_->encoded_.fetch_add(1);
                ++g.produced;
                g.recent.push_back(std::move(frame));
                if (g.recent.size() > kKeep) g.recent.pop_front();
            }
        }
    }

    // This member's frames: from its last one on, or from the newest keyframe when it starts.
    const std::uint64_t first = g.produced + 1 - g.recent.size();
    if (synced_ && next_ < first) synced_ = false; // fell behind further than kKeep
    if (!synced_) {
        // A recent keyframe only: an old one would mean a burst of stale frames.
        for (std::size_t i = g.recent.size(); i-- > 0 && i + kStartWithin >= g.recent.size();) {
            if (g.recent[i]->keyframe) {
                next_ = first + i;
                synced_ = true;
                break;
            }
        }
        if (!synced_) {
            g.keyWanted = true;
            return false;
        }
    }
    bool any = false, key = false;
    for (; next_ <= g.produced; ++next_) {
        out.push_back(g.recent[std::size_t(next_ - first)]);
        key = key || out.back()->keyframe;
        any = true;
    }
    if (wantsKey && !key) g.keyWanted = true; // the group's next frame
    return any;
}

} // namespace vphone::media
