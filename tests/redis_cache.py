"""The Redis cache for tests run in parallel (tests/conftest.py, pytest_configure): `clear()`
deletes this cache's own keys (its KEY_PREFIX, one per pytest-xdist worker) instead of flushing
the whole Redis database that every worker shares."""

from django_redis.cache import RedisCache


class PrefixOnlyRedisCache(RedisCache):
    def clear(self, version=None):
        self.delete_pattern("*", version=version)
