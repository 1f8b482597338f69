# fuzz_vcard: parseVCards on arbitrary bytes; every contact read is written as vCard 3.0 and 4.0
# and read back unchanged. vphone_vcard is QtCore only, so the target needs no QtSql.
target_compile_options(vphone_vcard PRIVATE -fsanitize=fuzzer-no-link ${_vphone_fuzz_sanitizers})
target_link_options(vphone_vcard INTERFACE -fsanitize=address,undefined)
add_executable(fuzz_vcard ${CMAKE_CURRENT_LIST_DIR}/fuzz_vcard.cpp)
target_link_libraries(fuzz_vcard PRIVATE vphone_vcard)
target_compile_options(fuzz_vcard PRIVATE -fsanitize=fuzzer ${_vphone_fuzz_sanitizers})
target_link_options(fuzz_vcard PRIVATE -fsanitize=fuzzer ${_vphone_fuzz_sanitizers})
add_dependencies(fuzz fuzz_vcard)
