using DeepSeek.Worker;

await WorkerHost.Build(args).RunAsync();
