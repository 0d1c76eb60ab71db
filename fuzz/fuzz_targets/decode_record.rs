//! Arbitrary bytes as a block value and as one record: `split_block` and
//! `decode_record` must refuse bad bytes with an error, never panic, and a
//! record that decodes must encode and decode again to the same record.

#![no_main]

use libfuzzer_sys::fuzz_target;
use podium::record::codec::{decode_record, encode_record, split_block};

fn check_record(bytes: &[u8]) {
    if let Ok(record) = decode_record(bytes) {
        let again = decode_record(&encode_record(&record))
            .expect("a decoded record re-encodes to bytes that decode");
        assert_eq!(again, record, "record changed across encode and decode");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = split_block(data) {
        assert!(
            !entries.is_empty(),
            "split_block gave a block of no entries"
        );
        for entry in &entries {
            check_record(entry.record);
        }
    }
    check_record(data);
});
