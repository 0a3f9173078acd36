# ContactDesk: build with the .NET SDK, run on the ASP.NET Core runtime image as a non-root user.
#   docker build -t contactdesk .
#   docker run -p 5080:5080 -v contactdesk-data:/data contactdesk
# deploy/compose.yaml runs it with PostgreSQL and a mail catcher.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that a change to the code reuses this layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ContactDesk/ContactDesk.csproj src/ContactDesk/
RUN dotnet restore src/ContactDesk/ContactDesk.csproj -r linux-x64 -p:PublishReadyToRun=true
COPY src/ContactDesk/ src/ContactDesk/
# ReadyToRun: compiled ahead for linux-x64, so the app starts without waiting for the JIT.
# scripts/publish-check.sh runs this same command in the tests.
RUN dotnet publish src/ContactDesk/ContactDesk.csproj -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Everything the app writes lives under /data (a volume): the SQLite file, .eml files, attachments.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
ENV Urls=http://+:5080 \
    ConnectionStrings__Default="Data Source=/data/contactdesk.db" \
    Email__PickupDirectory=/data/mail \
    Attachments__Path=/data/attachments
EXPOSE 5080
# The image's unprivileged user (uid 1654).
USER $APP_UID
# The runtime image has no curl: the app itself asks /healthz/live (see README "Deployment").
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["dotnet", "/app/ContactDesk.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/ContactDesk.dll"]
