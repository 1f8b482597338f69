# The desktop app `vphone` end to end under Xvfb (its own display, stopped by PID): a video call
# to vphone-cli on 127.0.0.1 (SIP 5600-5619, RTP 12500-12599), a screenshot of the window
# (app_call.png in this build directory), and a second launch handing its URI to the first.
add_test(NAME app_call
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/app_call.sh $<TARGET_FILE:vphone> $<TARGET_FILE:vphone-cli>
          ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(app_call PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
