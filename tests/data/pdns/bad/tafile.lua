readTrustAnchorsFromFile('@D@/nonexistent.key')
