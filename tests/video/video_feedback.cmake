# Video feedback, sender side (issue 6): the NACK retransmission buffer and the bandwidth
# estimator in media/rtp. REMB/TMMBR parsing is tested with the rest of RTCP in vphone_rtp_tests.
add_executable(vphone_video_feedback_tests
  ${CMAKE_CURRENT_SOURCE_DIR}/video/retransmit_buffer_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/video/bandwidth_estimator_test.cpp
)
target_link_libraries(vphone_video_feedback_tests PRIVATE vphone_rtp GTest::gtest_main)
gtest_discover_tests(vphone_video_feedback_tests DISCOVERY_TIMEOUT 60)
