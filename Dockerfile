# One image for every AkkaDns role: the role, datacenter, seeds and journal come from the environment
# (AKKADNS_ROLES, AKKADNS_DATACENTER, AKKADNS_SEEDS, AKKADNS_JOURNAL, AKKADNS_CONNECTION, AKKADNS_HOSTNAME,
# AKKADNS_PORT, AKKADNS_DNS, AKKADNS_API, AKKADNS_API_KEY). See docker-compose.yml for a whole cluster.

# ---- build stage: restore with the central package versions, publish the akkadns program
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props AkkaDns.sln ./
COPY src/Resolver/AkkaDns.Resolver.csproj src/Resolver/
COPY src/Actors/AkkaDns.Actors.csproj src/Actors/
COPY src/Cluster/AkkaDns.Cluster.csproj src/Cluster/
RUN dotnet restore src/Cluster/AkkaDns.Cluster.csproj
COPY config/ config/
COPY src/ src/
RUN dotnet publish src/Cluster/AkkaDns.Cluster.csproj -c Release -o /app --no-restore

# ---- runtime stage: ASP.NET Core runtime (the admin API is Kestrel), non-root user
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN groupadd --system akkadns && useradd --system --gid akkadns --home-dir /var/lib/akkadns akkadns \
    && mkdir -p /var/lib/akkadns && chown akkadns:akkadns /var/lib/akkadns
WORKDIR /app
COPY --from=build /app ./
USER akkadns
ENV AKKADNS_DATA=/var/lib/akkadns \
    AKKADNS_DNS=0.0.0.0:5300 \
    AKKADNS_API=0.0.0.0:5380
# DNS (UDP+TCP), admin API, Akka.Remote
EXPOSE 5300/udp 5300/tcp 5380/tcp 4053/tcp
VOLUME /var/lib/akkadns
# SIGTERM: the node leaves the cluster gracefully (coordinated shutdown hands its shards over first).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/akkadns.dll"]
CMD ["run"]
