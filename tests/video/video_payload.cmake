# media/payload (issue 6): H.264 and VP8 RTP payload formats and the video receive buffer.
add_executable(vphone_video_payload_tests
  ${CMAKE_CURRENT_LIST_DIR}/h264_rtp_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vp8_rtp_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/video_receive_buffer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/video_receive_buffer_loss_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/video_payload_test_util.h
)
target_link_libraries(vphone_video_payload_tests PRIVATE vphone_payload GTest::gtest_main)
gtest_discover_tests(vphone_video_payload_tests DISCOVERY_TIMEOUT 60)
