from django.db import connection

QUERIES_HEADER = "X-Benchmark-Queries"


class QueryCountMiddleware:
    """Count the SQL queries of each request and say how many in a response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(count)
        return response
