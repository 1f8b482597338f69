#include "payload/video_receive_buffer.h"

#include <algorithm>
#include <utility>

namespace vphone::media {

namespace {

// A sequence number this far from the newest one (either way) is a restarted sender, not a
// late or early packet: what is held is given up and the stream starts afresh.
constexpr std::int64_t kMinRestartJump = 1000;
// A newer packet whose timestamp went back more than this (10 s of the 90 kHz video clock,
// RFC 6184 §5.1, RFC 7741 §4.1) also restarts the stream.
constexpr std::int64_t kTimestampRestart = 90000 * 10;
// nacks() walks at most this many missing sequence numbers per call.
constexpr std::int64_t kMaxNackScan = 4096;

} // namespace

std::string_view toString(VideoDrop drop)
{
    switch (drop) {
    case VideoDrop::None: return "none";
    case VideoDrop::MissingPackets: return "missing packets";
    case VideoDrop::MissingStart: return "missing start";
    case VideoDrop::BadPayload: return "bad payload";
    case VideoDrop::Oversize: return "oversize";
    case VideoDrop::Late: return "late";
    case VideoDrop::Count: break;
    }
    return "unknown";
}

VideoReceiveBuffer::VideoReceiveBuffer(VideoReceiveConfig config) : config_(config) {}

std::int64_t VideoReceiveBuffer::unwrapSeq(std::uint16_t seq) const
{
    const auto delta =
        static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(highestSeq_)));
    return highestSeq_ + delta;
}

std::int64_t VideoReceiveBuffer::unwrapTs(std::uint32_t ts) const
{
    const auto delta = static_cast<std::int32_t>(ts - static_cast<std::uint32_t>(lastTs_));
    return lastTs_ + delta;
}

void VideoReceiveBuffer::push(const VideoPacket& packet, TimePoint now)
{
    ++packetsReceived_;
    const VideoPacketInfo info = inspectVideoPayload(config_.format, packet.payload);

    std::int64_t seq = packet.sequence;
    std::int64_t ts = packet.timestamp;
    if (any_) {
        seq = unwrapSeq(packet.sequence);
        ts = unwrapTs(packet.timestamp);
        const std::int64_t restart =
            std::max<std::int64_t>(kMinRestartJump, static_cast<std::int64_t>(config_.maxPackets));
        const bool farAhead = seq - highestSeq_ > restart;
        const bool farBehind = nextSeq_ && *nextSeq_ - seq > restart;
        const bool tsBack = seq > highestSeq_ && lastTs_ - ts > kTimestampRestart;
        if (farAhead || farBehind || tsBack) {
            ++restarts_;
            giveUpAll();
            paddingSeqs_.clear();
            nextSeq_.reset();
            doneTs_.reset();
            afterGiveUp_ = false;
            nackDue_.reset();
            seq = packet.sequence;
            ts = packet.timestamp;
            any_ = false;
        }
    }
    if (packet.payload.empty()) {
        // RFC 3550 §5.1 padding-only packet (bandwidth probing) once its padding is removed: it
        // belongs to no frame but takes a sequence number, which must not look like a hole.
        ++padding_;
        if (any_ && (!nextSeq_ || seq >= *nextSeq_) && !seqTs_.contains(seq)) {
            paddingSeqs_.insert(seq);
            nacked_.erase(seq);
            if (paddingSeqs_.size() > config_.maxPackets) paddingSeqs_.erase(paddingSeqs_.begin());
            if (seq > highestSeq_) {
                if (seq > highestSeq_ + 1 && !nackDue_) nackDue_ = now;
                highestSeq_ = seq;
            }
            absorbPadding();
        }
        return;
    }
    if ((nextSeq_ && seq < *nextSeq_) || (doneTs_ && ts <= *doneTs_)) {
        ++drops_[static_cast<std::size_t>(VideoDrop::Late)];
        return;
    }
    paddingSeqs_.erase(seq);
    if (seqTs_.contains(seq)) {
        ++duplicates_;
        return;
    }

    if (!any_ || seq > highestSeq_) {
        if (any_ && seq > highestSeq_ + 1 && !nackDue_) nackDue_ = now;
        highestSeq_ = seq;
        lastTs_ = ts;
    }
    any_ = true;

    auto [it, added] = frames_.try_emplace(ts);
    Frame& frame = it->second;
    if (added) {
        frame.timestamp = packet.timestamp;
        frame.firstArrival = now;
    }
    Packet p;
    p.marker = packet.marker;
    p.frameStart = info.frameStart;
    p.keyframe = info.keyframe;
    if (!info.valid) {
        ++drops_[static_cast<std::size_t>(VideoDrop::BadPayload)];
        p.bad = true;
        frame.bad = true;
    }
    frame.bytes += packet.payload.size();
    if (frame.bytes > config_.maxFrameBytes && !frame.oversize) {
        frame.oversize = true;
        for (auto& [s, held] : frame.packets)
            std::vector<std::uint8_t>().swap(held.payload);
    }
    if (!frame.oversize && !frame.bad) p.payload.assign(packet.payload.begin(), packet.payload.end());
    frame.packets.emplace(seq, std::move(p));
    seqTs_.emplace(seq, ts);
    nacked_.erase(seq);
    ++held_;

    while (held_ > config_.maxPackets && !frames_.empty()) {
        const Frame& front = frames_.begin()->second;
        giveUpFront(front.oversize      ? VideoDrop::Oversize
                    : front.bad         ? VideoDrop::None
                    : startKnown(front) ? VideoDrop::MissingPackets
                                        : VideoDrop::MissingStart);
    }
}

bool VideoReceiveBuffer::startKnown(const Frame& frame) const
{
    const auto first = frame.packets.begin();
    return first->second.frameStart || (nextSeq_ && first->first == *nextSeq_);
}

bool VideoReceiveBuffer::selfComplete(const Frame& frame) const
{
    if (frame.bad || frame.oversize || frame.packets.empty()) return false;
    const std::int64_t first = frame.packets.begin()->first;
    const auto last = frame.packets.rbegin();
    return frame.packets.begin()->second.frameStart && last->second.marker &&
           last->first - first + 1 == static_cast<std::int64_t>(frame.packets.size());
}

VideoReceiveBuffer::FrameState VideoReceiveBuffer::state(const Frame& frame) const
{
    const std::int64_t first = frame.packets.begin()->first;
    const auto last = frame.packets.rbegin();
    const bool contiguous = last->first - first + 1 == static_cast<std::int64_t>(frame.packets.size());
    if (!startKnown(frame) || !contiguous || !last->second.marker) return FrameState::Incomplete;
    // Sequence numbers missing before a frame whose start only the codec vouches for: a whole
    // frame may be missing in between (unless the frame before was given up: its tail).
    if (nextSeq_ && !afterGiveUp_ && first > *nextSeq_) return FrameState::CompleteAfterGap;
    return FrameState::Complete;
}

void VideoReceiveBuffer::forgetBelow(std::int64_t seq)
{
    nacked_.erase(nacked_.begin(), nacked_.lower_bound(seq));
}

void VideoReceiveBuffer::absorbPadding()
{
    if (!nextSeq_) return;
    paddingSeqs_.erase(paddingSeqs_.begin(), paddingSeqs_.lower_bound(*nextSeq_));
    // Padding right after the last frame continues it: the next frame starts after the padding.
    while (!paddingSeqs_.empty() && *paddingSeqs_.begin() == *nextSeq_) {
        paddingSeqs_.erase(paddingSeqs_.begin());
        ++*nextSeq_;
    }
    forgetBelow(*nextSeq_);
}

void VideoReceiveBuffer::giveUpFront(VideoDrop reason)
{
    auto node = frames_.extract(frames_.begin());
    const Frame& frame = node.mapped();
    if (reason != VideoDrop::None) ++drops_[static_cast<std::size_t>(reason)];
    frameLost_ = true;
    afterGiveUp_ = true;
    for (const auto& [seq, p] : frame.packets)
        seqTs_.erase(seq);
    held_ -= frame.packets.size();
    const std::int64_t next = frame.packets.rbegin()->first + 1;
    nextSeq_ = nextSeq_ ? std::max(*nextSeq_, next) : next;
    doneTs_ = node.key();
    absorbPadding();
}

void VideoReceiveBuffer::giveUpAll()
{
    while (!frames_.empty()) {
        const Frame& front = frames_.begin()->second;
        giveUpFront(front.bad        ? VideoDrop::None
                    : front.oversize ? VideoDrop::Oversize
                                     : VideoDrop::MissingPackets);
    }
    nacked_.clear();
}

std::optional<AssembledFrame> VideoReceiveBuffer::release()
{
    auto node = frames_.extract(frames_.begin());
    const Frame& frame = node.mapped();
    for (const auto& [seq, p] : frame.packets)
        seqTs_.erase(seq);
    held_ -= frame.packets.size();
    const std::int64_t firstSeq = frame.packets.begin()->first;
    const std::int64_t lastSeq = frame.packets.rbegin()->first;
    nextSeq_ = nextSeq_ ? std::max(*nextSeq_, lastSeq + 1) : lastSeq + 1;
    doneTs_ = node.key();
    absorbPadding();

    std::vector<std::span<const std::uint8_t>> payloads;
    payloads.reserve(frame.packets.size());
    for (const auto& [seq, p] : frame.packets)
        payloads.emplace_back(p.payload);
    AssembledFrame out;
    const VideoDepacketize result = depacketizeVideo(config_.format, payloads, out.data, out.keyframe);
    VideoDrop drop = VideoDrop::None;
    if (result == VideoDepacketize::MissingStart) drop = VideoDrop::MissingStart;
    if (result == VideoDepacketize::BadPayload) drop = VideoDrop::BadPayload;
    // Start codes and STAP-A unpacking make the access unit larger than its payloads.
    if (result == VideoDepacketize::Ok && out.data.size() > config_.maxFrameBytes) drop = VideoDrop::Oversize;
    if (drop != VideoDrop::None) {
        ++drops_[static_cast<std::size_t>(drop)];
        frameLost_ = true;
        afterGiveUp_ = true;
        return std::nullopt;
    }
    afterGiveUp_ = false;
    ++framesCompleted_;
    out.timestamp = frame.timestamp;
    out.firstSequence = static_cast<std::uint16_t>(firstSeq);
    out.lastSequence = static_cast<std::uint16_t>(lastSeq);
    out.firstArrival = frame.firstArrival;
    return out;
}

std::optional<AssembledFrame> VideoReceiveBuffer::pop(TimePoint now)
{
    auto isKey = [](const Frame& f) {
        return std::any_of(f.packets.begin(), f.packets.end(),
                           [](const auto& e) { return e.second.keyframe; });
    };
    while (!frames_.empty()) {
        const Frame& front = frames_.begin()->second;
        if (front.bad) {
            giveUpFront(VideoDrop::None); // its bad packet is counted already
            continue;
        }
        if (front.oversize) {
            giveUpFront(VideoDrop::Oversize);
            continue;
        }
        const bool expired = now >= front.firstArrival + config_.maxWait;
        const FrameState st = state(front);
        if (st == FrameState::Complete) {
            if (auto frame = release()) return frame;
            continue;
        }
        if (st == FrameState::CompleteAfterGap) {
            if (!expired && !isKey(front)) break;
            ++drops_[static_cast<std::size_t>(VideoDrop::MissingPackets)]; // the frame(s) in the gap
            frameLost_ = true;
            if (auto frame = release()) return frame;
            continue;
        }
        bool keyLater = false;
        if (!expired) {
            for (auto it = std::next(frames_.begin()); it != frames_.end() && !keyLater; ++it)
                keyLater = selfComplete(it->second) && isKey(it->second);
        }
        if (!expired && !keyLater) break;
        giveUpFront(startKnown(front) ? VideoDrop::MissingPackets : VideoDrop::MissingStart);
    }
    return std::nullopt;
}

bool VideoReceiveBuffer::takeFrameLost()
{
    return std::exchange(frameLost_, false);
}

std::vector<std::uint16_t> VideoReceiveBuffer::nacks(TimePoint now)
{
    std::vector<std::uint16_t> out;
    nackDue_.reset();
    if (seqTs_.empty()) {
        nacked_.clear();
        return out;
    }
    std::int64_t seq = nackFrom();
    forgetBelow(seq);
    std::int64_t scanned = 0;
    auto held = seqTs_.lower_bound(seq);
    while (seq < highestSeq_ && scanned < kMaxNackScan) {
        if ((held != seqTs_.end() && held->first == seq) || paddingSeqs_.contains(seq)) {
            if (held != seqTs_.end() && held->first == seq) ++held;
            ++seq;
            continue;
        }
        ++scanned;
        auto [it, fresh] = nacked_.try_emplace(seq);
        NackState& st = it->second;
        if (fresh || (st.sent < config_.maxNackRetries && now - st.lastSent >= config_.nackInterval)) {
            st.lastSent = now;
            ++st.sent;
            out.push_back(static_cast<std::uint16_t>(seq));
            if (out.size() >= kMaxNacksPerCall) {
                nackDue_ = now; // more to ask for at once
                break;
            }
        }
        ++seq;
    }
    return out;
}

std::optional<TimePoint> VideoReceiveBuffer::nextDeadline() const
{
    std::optional<TimePoint> at = nackDue_;
    auto earliest = [&](TimePoint t) {
        if (!at || t < *at) at = t;
    };
    // Only the oldest frame: frames behind it wait for it whatever their own age.
    if (!frames_.empty()) earliest(frames_.begin()->second.firstArrival + config_.maxWait);
    if (seqTs_.empty()) return at;
    const std::int64_t from = nackFrom();
    for (auto it = nacked_.lower_bound(from); it != nacked_.end(); ++it) {
        if (it->first < highestSeq_ && it->second.sent < config_.maxNackRetries)
            earliest(it->second.lastSent + config_.nackInterval);
    }
    return at;
}

std::int64_t VideoReceiveBuffer::nackFrom() const
{
    // After a give-up, the numbers before the next held packet may be the given-up frame's tail.
    return nextSeq_ && !afterGiveUp_ ? *nextSeq_ : seqTs_.begin()->first;
}

void VideoReceiveBuffer::reset()
{
    frames_.clear();
    seqTs_.clear();
    nacked_.clear();
    paddingSeqs_.clear();
    held_ = 0;
    any_ = false;
    highestSeq_ = 0;
    lastTs_ = 0;
    nextSeq_.reset();
    doneTs_.reset();
    afterGiveUp_ = false;
    frameLost_ = false;
    nackDue_.reset();
}

} // namespace vphone::media
