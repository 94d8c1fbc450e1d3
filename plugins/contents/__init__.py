"""Contents: content impressions and interactions sent with ``c_n``/``c_p``/``c_t``/``c_i``."""
