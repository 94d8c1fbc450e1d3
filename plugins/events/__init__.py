"""Events: custom events (category, action, name, value) sent with ``e_c``/``e_a``/``e_n``/``e_v``."""
