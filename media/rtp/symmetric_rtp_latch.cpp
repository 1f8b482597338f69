// Symmetric RTP latching: see the header for the policy.
#include "symmetric_rtp_latch.h"

#include <utility>

namespace vphone::media {

SymmetricRtpLatch::SymmetricRtpLatch(MediaAddress signalled, unsigned packetsToLatch)
    : destination_(std::move(signalled)), packetsToLatch_(packetsToLatch == 0 ? 1 : packetsToLatch)
{}

bool SymmetricRtpLatch::onValidPacket(const MediaAddress& from)
{
    if (from == destination_) {
        latched_ = true;
        candidate_.reset();
        candidateCount_ = 0;
        return false;
    }
    if (candidate_ && *candidate_ == from) {
        ++candidateCount_;
    } else {
        candidate_ = from;
        candidateCount_ = 1;
    }
    if (candidateCount_ < packetsToLatch_) return false;
    destination_ = from;
    candidate_.reset();
    candidateCount_ = 0;
    latched_ = true;
    ++moves_;
    return true;
}

} // namespace vphone::media
