"""Django's Redis cache, keeping one ``redis.Redis`` client per connection pool (issue 15).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every operation, and
redis-py 8 fills a table of response callbacks each time: about a third of a cached customer
page's cache cost. A client is thread-safe (each command takes a connection from the pool), so
one per pool is kept; what is stored and how it is read do not change.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        clients: dict[int, Any] = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
